import Classifiers
import TextPipeline

/// What Xinsheng says about one customer text, ready to show or store:
/// masked text only, labels with calibrated confidences, and for each label
/// the words that justify it as UTF-16 offsets into the **original** text.
public struct TurnAnalysis: Codable, Sendable, Equatable {
    public struct Evidence: Codable, Sendable, Equatable {
        /// UTF-16 offsets into the original text.
        public let start: Int
        public let end: Int
        /// The original text at those offsets.
        public let text: String
        /// Summed weight of the features in the span (larger = more decisive).
        public let weight: Double
        /// The same words in the masked text: UTF-16 offsets into
        /// `maskedText`, and the masked words (what stores and logs may keep).
        public let maskedStart: Int
        public let maskedEnd: Int
        public let maskedWords: String

        enum CodingKeys: String, CodingKey {
            case start, end, text, weight
            case maskedStart = "masked_start"
            case maskedEnd = "masked_end"
            case maskedWords = "masked_text"
        }
    }

    public struct Label: Codable, Sendable, Equatable {
        public let label: String
        public let confidence: Double
        public let evidence: [Evidence]?
    }

    public struct RankedLabel: Codable, Sendable, Equatable {
        public let label: String
        public let confidence: Double
    }

    public struct IntentResult: Codable, Sendable, Equatable {
        public let label: String
        public let confidence: Double
        /// The three most probable intents.
        public let ranking: [RankedLabel]
        public let evidence: [Evidence]
    }

    public struct NeedResult: Codable, Sendable, Equatable {
        public let need: String
        public let confidence: Double
        public let evidence: [Evidence]
    }

    public let maskedText: String
    public let sentiment: Label
    public let emotions: [Label]
    public let intent: IntentResult
    public let needs: [NeedResult]
    public let modelVersion: String

    enum CodingKeys: String, CodingKey {
        case sentiment, emotions, intent, needs
        case maskedText = "masked_text"
        case modelVersion = "model_version"
    }
}
