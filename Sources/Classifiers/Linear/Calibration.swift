import Foundation
import Taxonomy

/// How raw scores become probabilities and decisions, fitted on the dev
/// split: a temperature for each softmax head, Platt scaling
/// (`p = σ(a·score + b)`) and a decision threshold for each binary output.
public struct Calibration: Codable, Sendable, Equatable {
    public struct Binary: Codable, Sendable, Equatable {
        public var a: Double
        public var b: Double
        public var threshold: Double

        public init(a: Double = 1, b: Double = 0, threshold: Double = 0.5) {
            self.a = a
            self.b = b
            self.threshold = threshold
        }

        public func probability(_ score: Double) -> Double { 1 / (1 + exp(-(a * score + b))) }
    }

    public var sentimentTemperature: Double
    public var intentTemperature: Double
    /// Keyed by need id.
    public var needs: [String: Binary]
    /// Keyed by emotion id.
    public var emotions: [String: Binary]
    /// The need gate (P(any need)): a need is predicted only when its own
    /// probability reaches its threshold and the gate's reaches this one.
    /// Nil: no gate (every need decides alone).
    public var needGate: Binary?
    /// Added to the log-probability of each sentiment (keyed by label) when
    /// the label is chosen: the softmax stays calibrated, the three-way
    /// decision moves to the best dev macro-F1 (a pleased customer's question
    /// is otherwise too often neutral). Nil or missing labels: 0, the plain
    /// argmax. Binary review sets (`eval --sentiment-only`) still compare the
    /// calibrated P(positive) and P(negative): neutral is not in play there.
    public var sentimentOffsets: [String: Double]?

    public init(sentimentTemperature: Double = 1, intentTemperature: Double = 1,
                needs: [String: Binary] = [:], emotions: [String: Binary] = [:], needGate: Binary? = nil) {
        self.sentimentTemperature = sentimentTemperature
        self.intentTemperature = intentTemperature
        self.needs = needs
        self.emotions = emotions
        self.needGate = needGate
    }

    enum CodingKeys: String, CodingKey {
        case sentimentTemperature = "sentiment_temperature"
        case intentTemperature = "intent_temperature"
        case needs, emotions
        case needGate = "need_gate"
        case sentimentOffsets = "sentiment_offsets"
    }

    /// The sentiment chosen: the index of the highest log-probability plus
    /// offset (both in the layout's order; the first of equals). The one rule for
    /// the model's decision and for fitting the offsets.
    public static func chooseSentiment(_ probabilities: [Double], offsets: [Double]) -> Int {
        var best = 0, bestScore = -Double.infinity
        for index in probabilities.indices {
            let score = log(max(probabilities[index], 1e-300)) + offsets[index]
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        return best
    }

    /// Whether the need gate applies to a need: not to `financial_hardship`,
    /// whose missed lines cost the most (credit offered to someone who cannot
    /// pay); it keeps its own recall-first threshold alone.
    public static func isGated(_ need: Need) -> Bool { need != .financialHardship }

    /// Softmax of `scores / temperature`.
    public static func softmax(_ scores: ArraySlice<Float>, temperature: Double) -> [Double] {
        let scaled = scores.map { Double($0) / temperature }
        let maximum = scaled.max() ?? 0
        let exps = scaled.map { exp($0 - maximum) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }
}
