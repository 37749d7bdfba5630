import Foundation

/// One line of a corpus or gold file in the taxonomy's JSONL format.
/// Labels are optional so the same type reads agent turns (no labels),
/// sentiment-only gold sets and full gold sets.
public struct CorpusLine: Codable, Sendable, Equatable {
    public var id: String
    public var conversationID: String?
    public var turn: Int?
    public var speaker: String?
    public var channel: String?
    public var text: String
    public var sentiment: String?
    public var emotions: [String]?
    public var intent: String?
    public var needs: [String]?
    public var cases: [String]?

    public init(id: String, conversationID: String? = nil, turn: Int? = nil, speaker: String? = nil, channel: String? = nil,
                text: String, sentiment: String? = nil, emotions: [String]? = nil, intent: String? = nil,
                needs: [String]? = nil, cases: [String]? = nil) {
        self.id = id
        self.conversationID = conversationID
        self.turn = turn
        self.speaker = speaker
        self.channel = channel
        self.text = text
        self.sentiment = sentiment
        self.emotions = emotions
        self.intent = intent
        self.needs = needs
        self.cases = cases
    }

    enum CodingKeys: String, CodingKey {
        case id, turn, speaker, channel, text, sentiment, emotions, intent, needs, cases
        case conversationID = "conversation_id"
    }

    /// Whether the line is an agent's turn (never labelled, never trained on).
    public var isAgentTurn: Bool { speaker == "agent" }

    /// The key that decides train or dev: the conversation for turns (so one
    /// conversation never straddles the split), the line id otherwise.
    public var splitKey: String { conversationID ?? id }
}

/// A line with where it came from, for messages that point at `file:line`.
public struct LocatedCorpusLine: Sendable {
    public let line: CorpusLine
    public let file: String
    public let lineNumber: Int
}

/// The needs still true at the end of one conversation (`*.ends.jsonl`).
public struct ConversationEnd: Codable, Sendable, Equatable {
    public var conversationID: String
    public var needs: [String]

    enum CodingKeys: String, CodingKey {
        case needs
        case conversationID = "conversation_id"
    }
}
