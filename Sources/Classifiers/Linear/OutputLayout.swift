import Taxonomy

/// Where each label's score sits in the model's output vector: sentiment
/// (softmax), intent (softmax), then one binary output per need and per
/// emotion, all in taxonomy order, and last the need gate: one binary output
/// for "the text states any need at all", fitted on every need's lines
/// together (what makes a line not a need — finished, denied, someone
/// else's, a question about a product already held — is shared by all).
public struct OutputLayout: Sendable, Equatable {
    public let sentiments: [Sentiment]
    public let intents: [Intent]
    public let needs: [Need]
    public let emotions: [Emotion]

    public init(sentiments: [Sentiment] = Sentiment.allCases, intents: [Intent] = Intent.allCases,
                needs: [Need] = Need.allCases, emotions: [Emotion] = Emotion.allCases) {
        self.sentiments = sentiments
        self.intents = intents
        self.needs = needs
        self.emotions = emotions
    }

    public var sentimentRange: Range<Int> { 0..<sentiments.count }
    public var intentRange: Range<Int> { sentimentRange.upperBound..<(sentimentRange.upperBound + intents.count) }
    public var needRange: Range<Int> { intentRange.upperBound..<(intentRange.upperBound + needs.count) }
    public var emotionRange: Range<Int> { needRange.upperBound..<(needRange.upperBound + emotions.count) }
    /// The need gate's output: P(the text carries any need).
    public var needGateOutput: Int { emotionRange.upperBound }
    public var outputCount: Int { needGateOutput + 1 }

    public func output(of need: Need) -> Int { needRange.lowerBound + needs.firstIndex(of: need)! }
    public func output(of emotion: Emotion) -> Int { emotionRange.lowerBound + emotions.firstIndex(of: emotion)! }
    public func output(of intent: Intent) -> Int { intentRange.lowerBound + intents.firstIndex(of: intent)! }
    public func output(of sentiment: Sentiment) -> Int { sentimentRange.lowerBound + sentiments.firstIndex(of: sentiment)! }
}
