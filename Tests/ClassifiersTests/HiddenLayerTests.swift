import Foundation
import Taxonomy
import Testing
@testable import Classifiers

/// The hidden layer beside the linear weights: how its scores are mixed in,
/// that it is fitted, saved and loaded with identical predictions, that the
/// fit is deterministic, and that `hidden.bin` is read back exactly or
/// refused with a reason.
@Suite struct HiddenLayerTests {
    static let hiddenConfig: TrainingConfig = {
        var config = tinyConfig
        config.hiddenLayer.units = 8
        config.hiddenLayer.epochs = 40
        config.hiddenLayer.minFeatureCount = 1
        config.hiddenLayer.learningRate = 0.1
        return config
    }()

    static func trainWithHiddenLayer() throws -> Trainer.Result {
        try Trainer(processor: shippedProcessor, config: hiddenConfig)
            .train(tinyLines.compactMap(TrainingExample.init), corpusFingerprint: "tiny", corpusFiles: 1)
    }

    static let result: Trainer.Result = try! trainWithHiddenLayer()

    /// Two features, two units, three outputs, worked by hand; its embeddings
    /// are rounded to square-law levels, as every trained layer's are.
    static let handLayer = HiddenLayer(keys: [10, 20], units: 2, outputCount: 3, mix: 0.25, firstMixedOutput: 1,
                                       rounding: [1, -1, 2, 0.5], hiddenBias: [0, -1],
                                       readout: [9, 1, 2, 9, -1, 3], outputBias: [9, 0.5, 0])

    @Test func scores_areMixedIntoTheLinearOnesByHand() {
        // Both features: sum (3, −0.5), ÷ √2, + bias (0, −1) → (2.121…, −1.353…) → ReLU (2.121…, 0),
        // with each embedding at its square-law level (1 becomes 90²/127² of unit 0's scale 2);
        // then the readout of unit 0 alone: 0.5 + 1·h and 0 + 2·h for outputs 1 and 2.
        // Unit 0's scale is 2, unit 1's is 1: 1 → code 90 (90²/127² of 2), −1 → −127, 2 → 127, 0.5 → 90.
        #expect(Self.handLayer.unitScales == [2, 1])
        #expect(Self.handLayer.codes == [90, -127, 127, 90])
        let levels = Self.handLayer.embeddings
        #expect(abs(levels[0] - 2 * 8_100 / 16_129) < 1e-6)
        #expect(levels[1] == -1 && levels[2] == 2)
        let hidden: Float = (levels[0] + levels[2]) / Float(2).squareRoot()
        #expect(abs(hidden - 3 / Float(2).squareRoot()) < 1e-2)
        // Linear rows 0…3, of which 1 and 3 have embeddings (rows 0 and 1).
        var scores: [Float] = [-3, 4, -4, 7]
        Self.handLayer.mix(into: &scores, linearRows: [0, 1, 2, 3], map: [-1, 0, -1, 1])
        #expect(scores[0] == -3, "outputs before the first mixed one (sentiment) stay linear")
        let expected1: Float = 0.75 * 4 + 0.25 * (0.5 + hidden)
        let expected2: Float = 0.75 * -4 + 0.25 * 2 * hidden
        #expect(abs(scores[1] - expected1) < 1e-5)
        #expect(abs(scores[2] - expected2) < 1e-5)
        #expect(scores[3] == 7, "outputs past the layer's (emotions, the gate) stay linear")
        // No feature with an embedding: the biases alone, ReLU (0, 0), so the output biases.
        var bare: [Float] = [-3, 4, -4, 7]
        Self.handLayer.mix(into: &bare, linearRows: [0, 2], map: [-1, 0, -1, 1])
        let expectedBare: [Float] = [-3, 3.125, -3, 7]  // 0.75·4 + 0.25·0.5, 0.75·(−4) + 0.25·0
        #expect(bare == expectedBare)
    }

    @Test func embeddingRows_mapLinearRowsAndMarkRareFeatures() {
        let linear = LinearWeights(keys: [5, 10, 15, 20], outputCount: 1, weights: [0, 0, 0, 0], bias: [0])
        let map = Self.handLayer.embeddingRows(for: linear)
        #expect(map == [-1, 0, -1, 1])
    }

    @Test func tinyCorpus_withAHiddenLayer_isFittedAndMixed() throws {
        let model = Self.result.model
        let layer = try #require(model.hidden)
        #expect(layer.units == 8)
        #expect(layer.outputCount == model.layout.needRange.upperBound)
        #expect(model.meta.config.hiddenLayer.units == 8)
        let split = DatasetSplit(devPercent: tinyConfig.devPercent)
        let train = tinyLines.filter { !split.isDev($0) }
        var intentsRight = 0
        var differs = false
        for line in train {
            let processed = shippedProcessor.process(line.text)
            let scores = model.scores(processed)
            let intentScores = Array(scores[model.layout.intentRange])
            let best = intentScores.indices.max { intentScores[$0] < intentScores[$1] }!
            if model.layout.intents[best].rawValue == line.intent { intentsRight += 1 }
            let rows = model.weights.rows(of: model.extractor.extract(processed)).distinct
            let linear = model.weights.scores(rows: rows)
            if scores[model.layout.intentRange] != linear[model.layout.intentRange] { differs = true }
            #expect(scores[model.layout.sentimentRange] == linear[model.layout.sentimentRange])
            #expect(scores[model.layout.emotionRange] == linear[model.layout.emotionRange])
            #expect(scores[model.layout.needGateOutput] == linear[model.layout.needGateOutput])
        }
        #expect(differs, "the hidden layer changed no score")
        #expect(Double(intentsRight) / Double(train.count) >= 0.95)
    }

    @Test func fit_isDeterministic() throws {
        let again = try Self.trainWithHiddenLayer()
        let first = try #require(Self.result.model.hidden), second = try #require(again.model.hidden)
        #expect(first.embeddings == second.embeddings)
        #expect(first.readout == second.readout)
        #expect(again.model.calibration == Self.result.model.calibration)
    }

    @Test func saveThenLoad_givesIdenticalPredictions() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try ModelArtifact.save(Self.result.model, to: directory)
        #expect(saved.modelVersion.hasPrefix(ModelMeta.currentFormat + "-"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(ModelArtifact.hiddenFile).path))
        let loaded = try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
        #expect(loaded.hidden?.keys == Self.result.model.hidden?.keys)
        for line in tinyLines {
            let processed = shippedProcessor.process(line.text)
            let before = Self.result.model.predict(processed), after = loaded.predict(processed)
            #expect(before.sentimentProbabilities == after.sentimentProbabilities)
            #expect(before.intentRanking == after.intentRanking)
            #expect(before.needProbabilities == after.needProbabilities)
        }
        // A linear model saved over it removes the layer, and its version differs.
        let linear = try ModelArtifact.save(tinyResult.model, to: directory)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(ModelArtifact.hiddenFile).path))
        #expect(linear.modelVersion != saved.modelVersion)
        #expect(try ModelArtifact.load(from: directory, lexiconFingerprint: nil).hidden == nil)
        // The same weights with another threshold are another model: another version.
        let model = Self.result.model
        var calibration = model.calibration
        calibration.needs[Need.financialHardship.rawValue, default: Calibration.Binary()].threshold += 0.05
        let rethresholded = CustomerVoiceModel(extractor: model.extractor, weights: model.weights, hidden: model.hidden,
                                               layout: model.layout, calibration: calibration, meta: model.meta)
        let again = try ModelArtifact.save(Self.result.model, to: directory)
        let moved = try ModelArtifact.save(rethresholded, to: directory)
        #expect(again.modelVersion == saved.modelVersion)
        #expect(moved.modelVersion != saved.modelVersion)
    }

    @Test func loader_refusesAMissingOrDamagedHiddenLayer() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelArtifact.save(Self.result.model, to: directory)
        let file = directory.appendingPathComponent(ModelArtifact.hiddenFile)
        let data = try Data(contentsOf: file)
        try data.prefix(data.count - 5).write(to: file)
        #expect(throws: ModelLoadError.malformed(file: "hidden.bin", reason: "\(data.count - 5) bytes, expected \(data.count)")) {
            try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
        }
        try FileManager.default.removeItem(at: file)
        do {
            _ = try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
            Issue.record("a model without its hidden layer was accepted")
        } catch let error as ModelLoadError {
            #expect(error.code == "model.missing_file")
        }
    }

    @Test func file_encodeThenDecode_givesTheSameLayer() throws {
        let decoded = try HiddenLayerFile.decode(try HiddenLayerFile.encode(Self.handLayer).file, file: "hidden.bin")
        #expect(decoded.keys == Self.handLayer.keys)
        #expect(decoded.mix == Self.handLayer.mix)
        #expect(decoded.firstMixedOutput == 1)
        #expect(decoded.unitScales == Self.handLayer.unitScales)
        #expect(decoded.codes == Self.handLayer.codes)
        #expect(decoded.embeddings == Self.handLayer.embeddings)
        #expect(decoded.hiddenBias == Self.handLayer.hiddenBias)
        #expect(decoded.readout == Self.handLayer.readout)
        #expect(decoded.outputBias == Self.handLayer.outputBias)
        #expect(throws: ModelLoadError.malformed(file: "hidden.bin", reason: "not a Xinsheng hidden-layer file")) {
            _ = try HiddenLayerFile.decode(try WeightFile.encode(WeightFileTests.sample).file, file: "hidden.bin")
        }
        // A code of −128 (no writer makes one) is refused, not squared into a wrong weight.
        var body = HiddenLayerFile.body(of: Self.handLayer)
        body[body.count - 1] = 0x80
        let damaged = try Deflated.file(magic: HiddenLayerFile.magic, header: [HiddenLayerFile.format, 2, 2, 3], body: body)
        #expect(throws: ModelLoadError.malformed(file: "hidden.bin", reason: "an embedding code of −128 (codes run −127…127)")) {
            _ = try HiddenLayerFile.decode(damaged, file: "hidden.bin")
        }
    }

    @Test func aLayerFeedingTheGate_mixesTheGateAndIsSavedAndLoaded() throws {
        var config = Self.hiddenConfig
        config.hiddenLayer.feedsGate = true
        let result = try Trainer(processor: shippedProcessor, config: config)
            .train(tinyLines.compactMap(TrainingExample.init), corpusFingerprint: "tiny", corpusFiles: 1)
        let model = result.model
        let layer = try #require(model.hidden)
        #expect(layer.outputCount == model.layout.needRange.upperBound + 1)
        var gateDiffers = false
        for line in tinyLines {
            let processed = shippedProcessor.process(line.text)
            let scores = model.scores(processed)
            let rows = model.weights.rows(of: model.extractor.extract(processed)).distinct
            let linear = model.weights.scores(rows: rows)
            if scores[model.layout.needGateOutput] != linear[model.layout.needGateOutput] { gateDiffers = true }
            #expect(scores[model.layout.sentimentRange] == linear[model.layout.sentimentRange])
            #expect(scores[model.layout.emotionRange] == linear[model.layout.emotionRange])
        }
        #expect(gateDiffers, "the hidden layer did not reach the gate")

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelArtifact.save(model, to: directory)
        let loaded = try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
        for line in tinyLines {
            let processed = shippedProcessor.process(line.text)
            #expect(model.predict(processed).needProbabilities == loaded.predict(processed).needProbabilities)
        }
        // A layer with a gate output under settings that say it has none is refused.
        var meta = try JSONDecoder().decode(ModelMeta.self, from: Data(contentsOf: directory.appendingPathComponent("meta.json")))
        meta.config.hiddenLayer.feedsGate = false
        try JSONEncoder().encode(meta).write(to: directory.appendingPathComponent("meta.json"))
        let outputs = model.layout.needRange.upperBound
        #expect(throws: ModelLoadError.malformed(file: "hidden.bin", reason: "8 units × \(outputs + 1) outputs, expected 8 × \(outputs)")) {
            try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
        }
    }

    @Test func settings_areValidated() {
        var config = TrainingConfig()
        config.hiddenLayer.units = 64
        config.hiddenLayer.mix = 0
        #expect(throws: TrainingConfigError.invalid(key: "hidden_layer.mix", reason: "a number in (0, 1]")) { try config.validate() }
        config.hiddenLayer.mix = 0.5
        config.hiddenLayer.dropout = 1
        #expect(throws: TrainingConfigError.invalid(key: "hidden_layer.dropout", reason: "in [0, 1)")) { try config.validate() }
        config.hiddenLayer.units = 0
        #expect(throws: Never.self) { try config.validate() }
    }
}
