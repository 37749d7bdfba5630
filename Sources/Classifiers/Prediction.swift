import Taxonomy
import TextPipeline

/// A label with its calibrated probability.
public struct Scored<Label: Sendable & Hashable>: Sendable, Hashable {
    public let label: Label
    public let confidence: Double

    public init(label: Label, confidence: Double) {
        self.label = label
        self.confidence = confidence
    }
}

/// A span of the masked text that pushed a label up, with the summed weight
/// of the features inside it. Offsets are UTF-16 units of the masked text;
/// `Analysis` maps them to the original text.
public struct EvidenceSpan: Sendable, Hashable {
    public let span: TextSpan
    public let weight: Double

    public init(span: TextSpan, weight: Double) {
        self.span = span
        self.weight = weight
    }
}

/// What the model says about one text.
public struct Prediction: Sendable {
    public let sentiment: Scored<Sentiment>
    /// Probabilities of every sentiment, in taxonomy order.
    public let sentimentProbabilities: [Double]
    /// Emotions above their thresholds (only on negative texts, as the taxonomy requires).
    public let emotions: [Scored<Emotion>]
    /// Probabilities of every emotion, in taxonomy order.
    public let emotionProbabilities: [Double]
    public let intent: Scored<Intent>
    /// All intents, most probable first.
    public let intentRanking: [Scored<Intent>]
    /// Needs above their thresholds, most probable first.
    public let needs: [Scored<Need>]
    /// Probabilities of every need, in taxonomy order.
    public let needProbabilities: [Double]
    /// Evidence for the sentiment, the intent, each predicted emotion and need.
    public let evidence: PredictionEvidence
}

public struct PredictionEvidence: Sendable {
    public var sentiment: [EvidenceSpan] = []
    public var intent: [EvidenceSpan] = []
    public var emotions: [Emotion: [EvidenceSpan]] = [:]
    public var needs: [Need: [EvidenceSpan]] = [:]

    public init() {}
}
