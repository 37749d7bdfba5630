import Foundation
import Testing

@testable import Classifiers

/// `refit_on_all_lines`: once dev has chosen the L2 strengths and fitted the
/// calibration, the saved weights are fitted again on train and dev together.
/// The calibration, thresholds and dev figures stay the train-only fit's; the
/// weights change and have learnt the dev lines; the refit is deterministic;
/// and the setting is read, checked and recorded only when on.
@Suite struct RefitTests {
    static let refitConfig: TrainingConfig = {
        var config = HiddenLayerTests.hiddenConfig
        config.refitOnAllLines = true
        return config
    }()

    static func trainRefitted() throws -> Trainer.Result {
        try Trainer(processor: shippedProcessor, config: refitConfig)
            .train(tinyLines.compactMap(TrainingExample.init), corpusFingerprint: "tiny", corpusFiles: 1)
    }

    @Test func refit_keepsDevsCalibrationAndFigures_andLearnsTheDevLines() throws {
        let trainOnly = HiddenLayerTests.result
        let refitted = try Self.trainRefitted()
        #expect(refitted.model.calibration == trainOnly.model.calibration)
        #expect(refitted.model.meta.devMetrics == trainOnly.model.meta.devMetrics)
        #expect(refitted.model.meta.chosenL2 == trainOnly.model.meta.chosenL2)
        #expect(refitted.trainCount == trainOnly.trainCount && refitted.devCount == trainOnly.devCount)
        #expect(refitted.model.meta.featureCount > trainOnly.model.meta.featureCount,
                "features seen only in dev lines get weights")
        #expect(refitted.model.meta.featureCount == refitted.model.weights.keys.count)
        #expect(refitted.model.hidden != nil)

        // The dev lines' gold intents: more likely once the weights have seen them.
        let split = DatasetSplit(devPercent: tinyConfig.devPercent)
        let dev = tinyLines.compactMap(TrainingExample.init).filter(split.isDevExample)
        try #require(!dev.isEmpty)
        func meanLogLikelihood(_ model: CustomerVoiceModel) -> Double {
            dev.reduce(0.0) { sum, example in
                let scores = model.scores(shippedProcessor.process(example.line.text))
                let intents = Array(scores[model.layout.intentRange]).map(Double.init)
                let maximum = intents.max()!
                let total = intents.reduce(0) { $0 + exp($1 - maximum) }
                let gold = model.layout.intents.firstIndex(of: example.intent!)!
                return sum + (intents[gold] - maximum) - log(total)
            } / Double(dev.count)
        }
        #expect(meanLogLikelihood(refitted.model) > meanLogLikelihood(trainOnly.model))
    }

    @Test func refit_isDeterministic() throws {
        let first = try Self.trainRefitted().model, second = try Self.trainRefitted().model
        #expect(first.weights.keys == second.weights.keys)
        #expect(first.weights.weights == second.weights.weights)
        #expect(first.weights.bias == second.weights.bias)
        #expect(first.hidden?.codes == second.hidden?.codes)
        #expect(first.hidden?.readout == second.hidden?.readout)
    }

    @Test func warmStart_fromTheOptimum_staysThere() {
        // Three features, six lines; feature 0 marks the positives.
        var rows = SparseRows(featureCount: 3)
        let lines: [([Int32], Bool)] = [([0, 1], true), ([0, 2], true), ([0], true), ([1], false), ([2], false), ([1, 2], false)]
        for (columns, _) in lines { rows.append(columns: columns) }
        let targets = lines.map(\.1)
        let optimizer = LBFGS(maxIterations: 300)
        let cold = LogisticRegression.fitBinary(rows, targets: targets, l2: 1e-2, positiveWeight: 1, optimizer: optimizer)
        let warm = LogisticRegression.fitBinary(rows, targets: targets, l2: 1e-2, positiveWeight: 1, initial: cold, optimizer: optimizer)
        #expect(warm.iterations <= 3, "started at the optimum: \(warm.iterations) iterations")
        #expect(warm.loss <= cold.loss + 1e-12)
        // The cold fit stopped on its tolerance; the warm one may go a step further.
        for (a, b) in zip(cold.weights + cold.bias, warm.weights + warm.bias) { #expect(abs(a - b) < 1e-3) }

        let labels = [0, 0, 0, 1, 1, 2]
        let multinomial = LogisticRegression.fitMultinomial(rows, labels: labels, classes: 3, l2: 1e-2, optimizer: optimizer)
        let again = LogisticRegression.fitMultinomial(rows, labels: labels, classes: 3, l2: 1e-2, initial: multinomial,
                                                       optimizer: optimizer)
        #expect(again.iterations <= 3)
        #expect(again.loss <= multinomial.loss + 1e-9)
    }

    @Test func carry_movesWeightsByKey_andStartsNewKeysAtZero() {
        // Vocabulary A has keys 7 and 9 (rows 0, 1); B adds 8 between them.
        let features: [[UInt64]] = [[7, 9], [7, 9], [8], [8]]
        let a = Vocabulary(features: features, lines: [0, 1], minCount: 2)
        let b = Vocabulary(features: features, lines: [0, 1, 2, 3], minCount: 2)
        #expect(a.keys == [7, 9] && b.keys == [7, 8, 9])
        let fit = LogisticRegression.Fit(weights: [1, 2, 3, 4], bias: [5, 6], iterations: 9, loss: 0.5)
        let carried = a.carry(fit, to: b)
        #expect(carried.weights == [1, 2, 0, 0, 3, 4])
        #expect(carried.bias == [5, 6])
    }

    @Test func setting_isReadCheckedAndRecordedOnlyWhenOn() throws {
        let decoded = try JSONDecoder().decode(TrainingConfig.self,
                                               from: Data(#"{"refit_on_all_lines": true, "refit_max_iterations": 40}"#.utf8))
        #expect(decoded.refitOnAllLines && decoded.refitMaxIterations == 40)
        let absent = try JSONDecoder().decode(TrainingConfig.self, from: Data("{}".utf8))
        #expect(!absent.refitOnAllLines && absent.refitMaxIterations == 50)

        let off = String(decoding: try JSONEncoder().encode(TrainingConfig()), as: UTF8.self)
        #expect(!off.contains("refit"), "models trained before the setting keep their recorded config")
        let on = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(on.contains("refit_on_all_lines") && on.contains("refit_max_iterations"))

        var config = TrainingConfig()
        config.refitMaxIterations = 0
        let error = #expect(throws: TrainingConfigError.self) { try config.validate() }
        #expect(error == .invalid(key: "refit_max_iterations", reason: "at least 1"))
    }
}
