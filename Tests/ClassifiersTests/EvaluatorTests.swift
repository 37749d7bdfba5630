import Testing
import Taxonomy
@testable import Classifiers

/// The metrics on cases small enough to count by hand.
@Suite struct EvaluatorTests {
    func prediction(sentiment: Sentiment, intent: Intent, needs: [Need], needProbability: Double = 0.9) -> Prediction {
        let sentimentProbabilities = Sentiment.allCases.map { $0 == sentiment ? 0.8 : 0.1 }
        let ranking = [Scored(label: intent, confidence: 0.7)] + Intent.allCases.filter { $0 != intent }.map { Scored(label: $0, confidence: 0.3 / 13) }
        return Prediction(
            sentiment: Scored(label: sentiment, confidence: 0.8), sentimentProbabilities: sentimentProbabilities,
            emotions: [], emotionProbabilities: [0, 0], intent: ranking[0], intentRanking: ranking,
            needs: needs.map { Scored(label: $0, confidence: needProbability) },
            needProbabilities: Need.allCases.map { needs.contains($0) ? needProbability : 0.05 }, evidence: PredictionEvidence())
    }

    func gold(_ id: String, _ sentiment: String, _ intent: String, _ needs: [String]) -> CorpusLine {
        CorpusLine(id: id, channel: "chat", text: "", sentiment: sentiment, emotions: [], intent: intent, needs: needs)
    }

    @Test func needsMetrics_countByHand() {
        let pairs: [(gold: CorpusLine, prediction: Prediction)] = [
            (gold("1", "negative", "repayment", ["financial_hardship"]), prediction(sentiment: .negative, intent: .repayment, needs: [.financialHardship])),
            (gold("2", "negative", "repayment", ["financial_hardship"]), prediction(sentiment: .neutral, intent: .repayment, needs: [])),
            (gold("3", "neutral", "loan_inquiry", []), prediction(sentiment: .neutral, intent: .loanInquiry, needs: [.homePurchase])),
            (gold("4", "neutral", "other", []), prediction(sentiment: .neutral, intent: .complaint, needs: [])),
        ]
        let report = Evaluator().evaluate(pairs, gold: "hand", modelVersion: "test", slices: ["3": ["denied"]])
        let needs = try! #require(report.needs)
        // One right of two gold needs; one right of two predicted.
        #expect(needs.microPrecision == 0.5)
        #expect(needs.microRecall == 0.5)
        #expect(needs.hardshipRecall == 0.5)
        // One of the two no-need lines got a need.
        #expect(needs.falseAlarmRate == 0.5)
        #expect(report.intent?.accuracy == 0.75)
        #expect(report.sentiment?.accuracy == 0.75)
        #expect(report.slices?["denied"]?.lines == 1)
        #expect(report.slices?["denied"]?.falseAlarmRate == 1)
        let intent = try! #require(report.intent)
        let other = intent.labels.firstIndex(of: "other")!, complaint = intent.labels.firstIndex(of: "complaint")!
        #expect(intent.confusion[other][complaint] == 1)
    }

    @Test func binarySentiment_ignoresNeutral() {
        var pairs: [(gold: String, prediction: Prediction)] = []
        pairs.append(("positive", prediction(sentiment: .positive, intent: .other, needs: [])))
        pairs.append(("negative", prediction(sentiment: .negative, intent: .other, needs: [])))
        pairs.append(("negative", prediction(sentiment: .positive, intent: .other, needs: [])))
        let report = Evaluator().evaluateBinarySentiment(pairs, gold: "hand", modelVersion: "test")
        #expect(abs(report.accuracy - 2.0 / 3) < 1e-12)
        #expect(report.perLabel["positive"]?.precision == 0.5)
        #expect(report.perLabel["negative"]?.recall == 0.5)
    }

    @Test func calibrationError_isZeroForPerfectConfidence() {
        let evaluator = Evaluator()
        #expect(evaluator.expectedCalibrationError([(1.0, true), (1.0, true)]) == 0)
        #expect(abs(evaluator.expectedCalibrationError([(0.95, false), (0.95, false)]) - 0.95) < 1e-12)
    }
}

@Suite struct LogisticRegressionTests {
    @Test func binaryFit_separatesSeparableRows() {
        var rows = SparseRows(featureCount: 3)
        var targets: [Bool] = []
        for index in 0..<40 {
            rows.append(columns: index % 2 == 0 ? [0, 2] : [1, 2])
            targets.append(index % 2 == 0)
        }
        let fit = LogisticRegression.fitBinary(rows, targets: targets, l2: 1e-3, positiveWeight: 1, optimizer: LBFGS())
        #expect(fit.weights[0] > 1)
        #expect(fit.weights[1] < -1)
    }

    @Test func multinomialFit_recoversEachClassFeature() {
        var rows = SparseRows(featureCount: 3)
        var labels: [Int] = []
        for index in 0..<60 {
            rows.append(columns: [Int32(index % 3)])
            labels.append(index % 3)
        }
        let fit = LogisticRegression.fitMultinomial(rows, labels: labels, classes: 3, l2: 1e-3, optimizer: LBFGS())
        for feature in 0..<3 {
            let row = Array(fit.weights[(feature * 3)..<(feature * 3 + 3)])
            #expect(row.indices.max { row[$0] < row[$1] } == feature)
        }
    }

    @Test func nbPenalty_penalisesSeparatingFeaturesLess() throws {
        // Feature 0 marks class 0, feature 1 class 1, feature 2 is everywhere.
        var rows = SparseRows(featureCount: 3)
        var labels: [Int] = []
        for index in 0..<40 {
            rows.append(columns: [Int32(index % 2), 2])
            labels.append(index % 2)
        }
        #expect(HeadSpec.nbPenalty(rows, labels: labels, classes: 2, strength: 0) == nil)
        let penalty = try #require(HeadSpec.nbPenalty(rows, labels: labels, classes: 2, strength: 1))
        #expect(penalty.count == 6)
        for c in 0..<2 {
            #expect(penalty[0 * 2 + c] < penalty[2 * 2 + c])
            #expect(penalty[1 * 2 + c] < penalty[2 * 2 + c])
        }
        // A binary head (one output) gets one multiplier per feature; with
        // multipliers of 1 the fit is plain L2.
        let binary = try #require(HeadSpec.nbPenalty(rows, labels: labels, classes: 1, strength: 0.5))
        #expect(binary.count == 3 && binary[0] < binary[2])
        let targets = labels.map { $0 == 0 }
        let plain = LogisticRegression.fitBinary(rows, targets: targets, l2: 1e-3, positiveWeight: 1, optimizer: LBFGS())
        let ones = LogisticRegression.fitBinary(rows, targets: targets, l2: 1e-3, positiveWeight: 1,
                                                penalty: [1, 1, 1], optimizer: LBFGS())
        #expect(plain.weights == ones.weights)
    }

    @Test func calibration_fitsTemperatureAndThresholdsInRange() {
        let fitter = CalibrationFitter(config: TrainingConfig(), layout: OutputLayout())
        let platt = fitter.platt([-3, -2, -1, 1, 2, 3, -2.5, 2.5], targets: [false, false, false, true, true, true, false, true])
        #expect(platt.a > 0)
        let threshold = fitter.threshold([0.1, 0.3, 0.6, 0.9], targets: [false, false, true, true], beta: 1, grid: fitter.thresholdGrid)
        #expect((0.31...0.6).contains(threshold))
        // Overconfident scores get a temperature above 1.
        let temperature = fitter.temperature([[10, 0], [10, 0], [0, 10], [10, 0]], labels: [0, 1, 1, 0])
        #expect(temperature > 1)
    }
}
