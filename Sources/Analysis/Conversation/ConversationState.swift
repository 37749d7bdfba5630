import Taxonomy

/// One analysed turn of a conversation, as the aggregator consumes it.
/// Customer turns carry their analysis; agent turns carry signals only
/// (they are context, never a source of needs).
public struct AnalysedTurn: Sendable {
    public let turn: Int
    public let speaker: Speaker
    public let analysis: TurnAnalysis?
    public let signals: TurnSignals

    public init(turn: Int, speaker: Speaker, analysis: TurnAnalysis?, signals: TurnSignals) {
        self.turn = turn
        self.speaker = speaker
        self.analysis = speaker == .customer ? analysis : nil
        self.signals = signals
    }
}

/// Where a held need was seen: the turn and the words (offsets into that
/// turn's original text).
public struct NeedMention: Codable, Sendable, Equatable {
    public let turn: Int
    public let confidence: Double
    public let evidence: [TurnAnalysis.Evidence]
}

/// A need the conversation holds, or held until it was withdrawn.
public struct HeldNeed: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Held: combined confidence at or above the hold threshold (hardship: always).
        case active
        /// Raised, but on evidence too weak to hold yet; one more mention may make it active.
        case tentative
        case withdrawn
    }

    public let need: Need
    public var status: Status
    /// Combined confidence of every mention, older ones counting less (see `ConversationAggregator`).
    public var confidence: Double
    public var firstTurn: Int
    public var lastTurn: Int
    /// The turn that withdrew it.
    public var withdrawnAt: Int?
    public var mentions: [NeedMention]

    enum CodingKeys: String, CodingKey {
        case need, status, confidence, mentions
        case firstTurn = "first_turn"
        case lastTurn = "last_turn"
        case withdrawnAt = "withdrawn_at"
    }
}

/// Sentiment and emotions of one customer turn.
public struct TurnMood: Codable, Sendable, Equatable {
    public let turn: Int
    public let sentiment: String
    public let confidence: Double
    public let emotions: [String]
    /// −confidence for negative, +confidence for positive, 0 for neutral.
    public let score: Double
}

/// Where the customer's mood is heading over the conversation.
public struct SentimentTrend: Codable, Sendable, Equatable {
    public enum Direction: String, Codable, Sendable {
        case improving, steady, worsening
    }

    public let direction: Direction
    /// Mean score of the first customer turns and of the last ones.
    public let start: Double
    public let end: Double
}

/// The state of one conversation after the turns folded so far.
public struct ConversationState: Codable, Sendable, Equatable {
    public let conversationID: String
    /// Turns folded, both speakers.
    public internal(set) var turns = 0
    public internal(set) var lastTurn = 0
    /// Every need ever held, in the order first raised; `activeNeeds` filters and ranks them.
    public internal(set) var needs: [HeldNeed] = []
    public internal(set) var moods: [TurnMood] = []
    public internal(set) var trend: SentimentTrend?
    /// Customer turns folded (one mood each).
    public var customerTurns: Int { moods.count }
    /// Signals of the latest agent turn (what a short customer answer refers to).
    var lastAgentSignals: TurnSignals?
    /// Needs predicted in the latest customer turn that predicted any.
    var latestRaised: Set<Need> = []

    public init(conversationID: String) {
        self.conversationID = conversationID
    }

    /// Active needs, most confident first.
    public var activeNeeds: [HeldNeed] {
        needs.filter { $0.status == .active }.sorted {
            $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.need.rawValue < $1.need.rawValue
        }
    }

    public var withdrawnNeeds: [HeldNeed] { needs.filter { $0.status == .withdrawn } }

    public var tentativeNeeds: [HeldNeed] { needs.filter { $0.status == .tentative } }

    enum CodingKeys: String, CodingKey {
        case needs, moods, trend, turns
        case conversationID = "conversation_id"
        case lastTurn = "last_turn"
    }
}
