import Foundation
import Taxonomy
import Testing
@testable import Classifiers

/// The model round trip on a tiny hand-written corpus: it is fitted, saved
/// and loaded with identical scores, single and batch predictions agree,
/// training is deterministic, and the loader refuses foreign models.
@Suite struct TrainerTests {
    @Test func tinyCorpus_isFittedOnItsTrainingLines() throws {
        let model = tinyResult.model
        let split = DatasetSplit(devPercent: tinyConfig.devPercent)
        let train = tinyLines.filter { !split.isDev($0) }
        #expect(train.count >= 20)
        var intentsRight = 0, needDecisionsRight = 0
        for line in train {
            let scores = model.scores(shippedProcessor.process(line.text))
            let intentScores = Array(scores[model.layout.intentRange])
            let best = intentScores.indices.max { intentScores[$0] < intentScores[$1] }!
            if model.layout.intents[best].rawValue == line.intent { intentsRight += 1 }
            for need in Need.allCases {
                let positive = scores[model.layout.output(of: need)] > 0
                if positive == line.needs!.contains(need.rawValue) { needDecisionsRight += 1 }
            }
        }
        #expect(Double(intentsRight) / Double(train.count) >= 0.95)
        #expect(Double(needDecisionsRight) / Double(train.count * Need.allCases.count) >= 0.97)
    }

    @Test func saveThenLoad_givesIdenticalPredictions() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try ModelArtifact.save(tinyResult.model, to: directory)
        let loaded = try ModelArtifact.load(from: directory, lexiconFingerprint: shippedProcessor.segmenter.lexicon.fingerprint)
        #expect(loaded.meta == saved)
        #expect(loaded.calibration == tinyResult.model.calibration)
        #expect(loaded.weights.keys == tinyResult.model.weights.keys)
        for line in tinyLines {
            let processed = shippedProcessor.process(line.text)
            let before = tinyResult.model.predict(processed), after = loaded.predict(processed)
            #expect(before.sentimentProbabilities == after.sentimentProbabilities)
            #expect(before.intentRanking == after.intentRanking)
            #expect(before.needProbabilities == after.needProbabilities)
            #expect(before.evidence.needs == after.evidence.needs)
        }
    }

    @Test func batchAndSinglePredictions_agree() {
        let model = tinyResult.model
        let texts = tinyLines.map { shippedProcessor.process($0.text) }
        let batch = model.predict(batch: texts)
        #expect(batch.count == texts.count)
        for (text, batched) in zip(texts, batch) {
            let single = model.predict(text)
            #expect(single.needProbabilities == batched.needProbabilities)
            #expect(single.intentRanking == batched.intentRanking)
            #expect(single.sentiment == batched.sentiment)
        }
    }

    @Test func training_isDeterministic() throws {
        let again = try trainTiny()
        #expect(again.model.weights.weights == tinyResult.model.weights.weights)
        #expect(again.model.weights.bias == tinyResult.model.weights.bias)
        #expect(again.model.calibration == tinyResult.model.calibration)
    }

    @Test func metaRecordsTaxonomyLexiconAndDevMetrics() {
        let meta = tinyResult.model.meta
        #expect(meta.taxonomyFingerprint == TaxonomyContract.ofEnums.fingerprint)
        #expect(meta.lexiconFingerprint == shippedProcessor.segmenter.lexicon.fingerprint)
        #expect(meta.features == FeatureExtractor.version)
        #expect(meta.corpus.trainLines + meta.corpus.devLines == tinyLines.count)
        #expect(meta.devMetrics.lines == meta.corpus.devLines)
        #expect(meta.devMetrics.intentAccuracy != nil)
    }

    @Test func loader_refusesAModelOfAnotherTaxonomyOrLexicon() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelArtifact.save(tinyResult.model, to: directory)
        #expect(throws: ModelLoadError.self) {
            try ModelArtifact.load(from: directory, lexiconFingerprint: nil, taxonomyFingerprint: "0123")
        }
        do {
            _ = try ModelArtifact.load(from: directory, lexiconFingerprint: nil, taxonomyFingerprint: "0123")
        } catch let error as ModelLoadError {
            #expect(error.code == "model.taxonomy_mismatch")
            #expect(error.description.contains("xinsheng train"))
        }
        do {
            _ = try ModelArtifact.load(from: directory, lexiconFingerprint: "lexicon-other")
            Issue.record("a model trained with other lexicons was accepted")
        } catch let error as ModelLoadError {
            #expect(error.code == "model.lexicon_mismatch")
        }
    }

    @Test func loader_refusesDamagedWeights() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelArtifact.save(tinyResult.model, to: directory)
        let weights = directory.appendingPathComponent(ModelArtifact.weightsFile)
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count - 7).write(to: weights)
        #expect(throws: ModelLoadError.self) { try ModelArtifact.load(from: directory, lexiconFingerprint: nil) }
        try FileManager.default.removeItem(at: weights)
        do {
            _ = try ModelArtifact.load(from: directory, lexiconFingerprint: nil)
            Issue.record("a model without weights was accepted")
        } catch let error as ModelLoadError {
            #expect(error.code == "model.missing_file")
        }
    }

    @Test func split_isStableAndKeepsConversationsTogether() {
        let split = DatasetSplit(devPercent: 15)
        let ids = (1...2000).map { "chat-x-" + String($0) }
        let dev = ids.filter { split.isDev(CorpusLine(id: $0, text: "")) }
        // Roughly the asked share, and the same every time.
        #expect((200...400).contains(dev.count))
        #expect(dev == ids.filter { split.isDev(CorpusLine(id: $0, text: "")) })
        let turns = (1...12).map { CorpusLine(id: "conv-x-001-" + String($0), conversationID: "conv-x-001", turn: $0, text: "") }
        #expect(Set(turns.map(split.isDev)).count == 1)
    }
}
