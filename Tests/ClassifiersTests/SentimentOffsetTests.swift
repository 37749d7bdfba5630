import Foundation
import Testing
import Taxonomy
@testable import Classifiers

/// Sentiment offsets: fitted on dev for the best macro-F1, applied to the
/// three-way choice only (the reported probabilities stay calibrated).
@Suite struct SentimentOffsetTests {
    static let layout = OutputLayout()

    static func example(_ id: String, _ sentiment: Sentiment) -> TrainingExample {
        let line = try! JSONDecoder().decode(CorpusLine.self, from: Data("""
        {"id":"\(id)","channel":"chat","text":"x","sentiment":"\(sentiment.rawValue)","emotions":[],"intent":"other","needs":[]}
        """.utf8))
        return TrainingExample(line)!
    }

    static func row(negative: Float, neutral: Float, positive: Float) -> [Float] {
        var scores = [Float](repeating: -4, count: layout.outputCount)
        scores[layout.output(of: Sentiment.negative)] = negative
        scores[layout.output(of: Sentiment.neutral)] = neutral
        scores[layout.output(of: Sentiment.positive)] = positive
        return scores
    }

    @Test func fitter_movesTheDecisionTowardsAnUnderChosenClass() throws {
        // Positive lines score just under neutral (the plain argmax calls
        // them all neutral); neutral lines have neutral well ahead.
        var scores: [[Float]] = [], examples: [TrainingExample] = []
        for index in 0..<30 {
            scores.append(Self.row(negative: -2, neutral: 1, positive: 0.7))
            examples.append(Self.example("p-\(index)", .positive))
            scores.append(Self.row(negative: -2, neutral: 2, positive: -1))
            examples.append(Self.example("n-\(index)", .neutral))
            scores.append(Self.row(negative: 2, neutral: 0, positive: -2))
            examples.append(Self.example("g-\(index)", .negative))
        }
        var config = TrainingConfig()
        config.sentimentOffsets = true
        let calibration = CalibrationFitter(config: config, layout: Self.layout).fit(scores: scores, examples: examples)
        let offsets = try #require(calibration.sentimentOffsets)
        #expect(try #require(offsets["positive"]) > 0)

        let plain = NeedGateTests.model(gate: nil)
        let fitted = CustomerVoiceModel(weights: plain.weights, calibration: calibration, meta: plain.meta)
        for (row, example) in zip(scores, examples) {
            #expect(fitted.decide(scores: row, occurrences: nil, rows: [], masked: nil).sentiment.label == example.sentiment)
        }
        // Off by default: no offsets fitted.
        #expect(CalibrationFitter(config: TrainingConfig(), layout: Self.layout).fit(scores: scores, examples: examples)
            .sentimentOffsets == nil)
    }

    @Test func fitter_keepsZeroOffsetsWhenTheArgmaxIsAlreadyRight() throws {
        var scores: [[Float]] = [], examples: [TrainingExample] = []
        for index in 0..<20 {
            scores.append(Self.row(negative: -2, neutral: 0, positive: 3))
            examples.append(Self.example("p-\(index)", .positive))
            scores.append(Self.row(negative: 3, neutral: 0, positive: -2))
            examples.append(Self.example("g-\(index)", .negative))
        }
        var config = TrainingConfig()
        config.sentimentOffsets = true
        let offsets = try #require(CalibrationFitter(config: config, layout: Self.layout).fit(scores: scores, examples: examples)
            .sentimentOffsets)
        #expect(offsets == ["positive": 0, "negative": 0])
    }

    @Test func decide_choosesByOffsetButReportsTheCalibratedProbability() {
        let plain = NeedGateTests.model(gate: nil)
        // Softmax of (−3, 0.2, 0): neutral 0.54, positive 0.44.
        let row = Self.row(negative: -3, neutral: 0.2, positive: 0)
        #expect(plain.decide(scores: row, occurrences: nil, rows: [], masked: nil).sentiment.label == .neutral)
        var calibration = plain.calibration
        calibration.sentimentOffsets = ["positive": 0.3]
        let shifted = CustomerVoiceModel(weights: plain.weights, calibration: calibration, meta: plain.meta)
        let prediction = shifted.decide(scores: row, occurrences: nil, rows: [], masked: nil)
        #expect(prediction.sentiment.label == .positive)
        let positive = Sentiment.allCases.firstIndex(of: .positive)!
        #expect(prediction.sentiment.confidence == prediction.sentimentProbabilities[positive])
        #expect(abs(prediction.sentimentProbabilities[positive] - exp(0.0) / (exp(-3.0) + exp(0.2) + exp(0.0))) < 1e-9)
    }
}
