import Analysis
import Foundation
import Offers
import Profiles
import Taxonomy

/// Words of a masked turn that justify a label: UTF-16 offsets into the
/// turn's `masked_text` (what a browser's JavaScript strings index by).
public struct HighlightSpan: Encodable, Sendable, Equatable {
    /// `need`, `sentiment`, `emotion` or `intent`.
    public let kind: String
    public let label: String
    public let start: Int
    public let end: Int
    public let text: String
}

/// One turn as the service keeps and shows it: masked text only.
public struct TurnRecord: Encodable, Sendable {
    public struct Label: Encodable, Sendable, Equatable {
        public let label: String
        public let confidence: Double
    }

    public let turn: Int
    public let turnID: String
    public let speaker: Speaker
    public let maskedText: String
    public let at: Date
    /// Customer turns only.
    public let sentiment: Label?
    public let emotions: [Label]
    public let intent: Label?
    public let needs: [Label]
    public let highlights: [HighlightSpan]

    enum CodingKeys: String, CodingKey {
        case turn, speaker, at, sentiment, emotions, intent, needs, highlights
        case turnID = "turn_id"
        case maskedText = "masked_text"
    }

    init(turn: Int, turnID: String, speaker: Speaker, maskedText: String, at: Date, analysis: TurnAnalysis?) {
        self.turn = turn
        self.turnID = turnID
        self.speaker = speaker
        self.maskedText = maskedText
        self.at = at
        guard let analysis else {
            sentiment = nil
            emotions = []
            intent = nil
            needs = []
            highlights = []
            return
        }
        sentiment = Label(label: analysis.sentiment.label, confidence: analysis.sentiment.confidence)
        emotions = analysis.emotions.map { Label(label: $0.label, confidence: $0.confidence) }
        intent = Label(label: analysis.intent.label, confidence: analysis.intent.confidence)
        needs = analysis.needs.map { Label(label: $0.need, confidence: $0.confidence) }
        var spans: [HighlightSpan] = []
        func add(_ kind: String, _ label: String, _ evidence: [TurnAnalysis.Evidence]) {
            for item in evidence {
                spans.append(HighlightSpan(kind: kind, label: label, start: item.maskedStart, end: item.maskedEnd, text: item.maskedWords))
            }
        }
        for need in analysis.needs { add("need", need.need, need.evidence) }
        add("sentiment", analysis.sentiment.label, analysis.sentiment.evidence ?? [])
        for emotion in analysis.emotions { add("emotion", emotion.label, emotion.evidence ?? []) }
        add("intent", analysis.intent.label, analysis.intent.evidence)
        highlights = spans
    }
}

/// A need the conversation holds (or held), with the masked evidence of
/// every mention.
public struct NeedView: Encodable, Sendable {
    public struct Mention: Encodable, Sendable {
        public let turn: Int
        public let start: Int
        public let end: Int
        public let text: String
    }

    public let need: Need
    public let nameZH: String
    public let status: HeldNeed.Status
    public let confidence: Double
    public let firstTurn: Int
    public let lastTurn: Int
    public let withdrawnAt: Int?
    public let evidence: [Mention]

    enum CodingKeys: String, CodingKey {
        case need, status, confidence, evidence
        case nameZH = "name_zh"
        case firstTurn = "first_turn"
        case lastTurn = "last_turn"
        case withdrawnAt = "withdrawn_at"
    }

    init(_ held: HeldNeed) {
        need = held.need
        nameZH = held.need.chineseName
        status = held.status
        confidence = held.confidence
        firstTurn = held.firstTurn
        lastTurn = held.lastTurn
        withdrawnAt = held.withdrawnAt
        evidence = held.mentions.flatMap { mention in
            mention.evidence.map { Mention(turn: mention.turn, start: $0.maskedStart, end: $0.maskedEnd, text: $0.maskedWords) }
        }
    }
}

/// What an agent sees of a conversation: the turns (masked), the needs so
/// far (active first, then tentative, then withdrawn), the mood over the
/// conversation, and the offers for the agent channel.
///
/// The answer to a turn leaves the transcript out (`turns` nil): it carries
/// its own turn, and a desk that shows the transcript appends it; sending
/// every earlier turn again on every turn would make a long conversation's
/// answers grow without end. `GET` of the conversation has the transcript.
public struct ConversationView: Encodable, Sendable {
    public let conversationID: String
    public let customerID: String
    public let turnCount: Int
    public let turns: [TurnRecord]?
    public let needs: [NeedView]
    public let moods: [TurnMood]
    public let trend: SentimentTrend?
    public let offers: OfferDecision?

    enum CodingKeys: String, CodingKey {
        case turns, needs, moods, trend, offers
        case conversationID = "conversation_id"
        case customerID = "customer_id"
        case turnCount = "turn_count"
    }

    init(state: ConversationState, customerID: String, records: [TurnRecord], withTranscript: Bool, offers: OfferDecision?) {
        conversationID = state.conversationID
        self.customerID = customerID
        turnCount = records.count
        turns = withTranscript ? records : nil
        let order: [HeldNeed.Status: Int] = [.active: 0, .tentative: 1, .withdrawn: 2]
        needs = state.needs.sorted {
            if $0.status != $1.status { return order[$0.status, default: 3] < order[$1.status, default: 3] }
            if $0.confidence != $1.confidence { return $0.confidence > $1.confidence }
            return $0.need.rawValue < $1.need.rawValue
        }.map(NeedView.init)
        moods = state.moods
        trend = state.trend
        self.offers = offers
    }
}

/// A tag change a turn caused, as the agent's screen lists it.
public struct TagChange: Encodable, Sendable, Equatable {
    public let sequence: Int64
    public let kind: TagChangeKind
    public let need: Need
    public let confidence: Double

    init(_ event: FeedEvent) {
        sequence = event.sequence
        kind = event.kind
        need = event.tag.need
        confidence = event.tag.confidence
    }
}

/// The answer to one turn.
public struct TurnResult: Encodable, Sendable {
    /// The turn id was seen before in this conversation: nothing changed.
    public let duplicate: Bool
    public let turn: TurnRecord
    public let tagChanges: [TagChange]
    public let conversation: ConversationView

    enum CodingKeys: String, CodingKey {
        case duplicate, turn, conversation
        case tagChanges = "tag_changes"
    }
}
