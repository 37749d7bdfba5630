import Foundation
import Taxonomy

/// Where a need-tag's evidence came from.
public enum TagSource: Codable, Sendable, Equatable, Hashable {
    /// A turn of a live conversation.
    case conversation(id: String, turn: Int)
    /// A line of a mined archive.
    case archive(file: String, line: Int)

    enum CodingKeys: String, CodingKey { case kind, conversationID = "conversation_id", turn, file, line }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "conversation":
            self = .conversation(id: try container.decode(String.self, forKey: .conversationID), turn: try container.decode(Int.self, forKey: .turn))
        case "archive":
            self = .archive(file: try container.decode(String.self, forKey: .file), line: try container.decode(Int.self, forKey: .line))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown source kind \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .conversation(let id, let turn):
            try container.encode("conversation", forKey: .kind)
            try container.encode(id, forKey: .conversationID)
            try container.encode(turn, forKey: .turn)
        case .archive(let file, let line):
            try container.encode("archive", forKey: .kind)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
        }
    }
}

/// A span of the **masked** text that justified a tag (never raw text).
public struct MaskedEvidence: Codable, Sendable, Equatable, Hashable {
    /// UTF-16 offsets into the masked text.
    public let start: Int
    public let end: Int
    public let text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// Why a tag says what it says: one observation's source, evidence and the
/// versions of the model and lexicons that made it.
public struct Provenance: Codable, Sendable, Equatable {
    public let source: TagSource
    public let evidence: [MaskedEvidence]
    public let modelVersion: String
    public let lexiconVersion: String
    public let observedAt: Date

    public init(source: TagSource, evidence: [MaskedEvidence], modelVersion: String, lexiconVersion: String, observedAt: Date) {
        self.source = source
        self.evidence = evidence
        self.modelVersion = modelVersion
        self.lexiconVersion = lexiconVersion
        self.observedAt = observedAt
    }

    enum CodingKeys: String, CodingKey {
        case source, evidence
        case modelVersion = "model_version"
        case lexiconVersion = "lexicon_version"
        case observedAt = "observed_at"
    }
}

/// The life of a need-tag.
public enum TagStatus: String, Codable, Sendable, CaseIterable {
    case active
    case withdrawn
    case expired
}

/// A need on a customer's profile.
public struct NeedTag: Codable, Sendable, Equatable {
    public let tenant: String
    public let customerID: String
    public let need: Need
    /// Confidence when last seen; `confidence(at:)` gives it decayed.
    public var confidence: Double
    public var status: TagStatus
    public var firstSeen: Date
    public var lastSeen: Date
    public var expiresAt: Date
    /// The observations behind the tag, newest last (at most `TagPolicy.provenanceKept`).
    public var provenance: [Provenance]

    public init(tenant: String, customerID: String, need: Need, confidence: Double, status: TagStatus, firstSeen: Date,
                lastSeen: Date, expiresAt: Date, provenance: [Provenance]) {
        self.tenant = tenant
        self.customerID = customerID
        self.need = need
        self.confidence = confidence
        self.status = status
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.expiresAt = expiresAt
        self.provenance = provenance
    }

    /// The confidence at `date`: linear decay from `lastSeen` to zero at
    /// `expiresAt`; zero for a tag that is not active.
    public func confidence(at date: Date) -> Double {
        guard status == .active else { return 0 }
        let total = expiresAt.timeIntervalSince(lastSeen)
        guard total > 0 else { return 0 }
        let left = expiresAt.timeIntervalSince(date)
        return confidence * min(1, max(0, left / total))
    }

    /// The tag as a feed event carries it: every field, but of the
    /// provenance only the newest observation — the one behind the change.
    /// The history stays on the profile; each event brings its own
    /// observation, so a consumer that keeps them has it all, and an event
    /// stays the same size however often a need is seen.
    public var published: NeedTag {
        var tag = self
        tag.provenance = Array(provenance.suffix(1))
        return tag
    }

    enum CodingKeys: String, CodingKey {
        case tenant, need, confidence, status, provenance
        case customerID = "customer_id"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case expiresAt = "expires_at"
    }
}
