import Foundation
import Taxonomy

/// What one analysed source (a conversation turn, an archive line) says
/// about one need of a customer.
public struct NeedObservation: Codable, Sendable, Equatable {
    public enum Stance: String, Codable, Sendable {
        /// The need is present (raised or still held).
        case present
        /// The customer withdrew it (买房的事先不考虑了).
        case withdrawn
    }

    public let need: Need
    public let stance: Stance
    public let confidence: Double
    public let evidence: [MaskedEvidence]

    public init(need: Need, stance: Stance, confidence: Double, evidence: [MaskedEvidence] = []) {
        self.need = need
        self.stance = stance
        self.confidence = confidence
        self.evidence = evidence
    }
}

/// One idempotent write: every observation of one source for one customer.
/// Writing the same `idempotencyKey` twice changes nothing and publishes nothing.
public struct TagWrite: Codable, Sendable, Equatable {
    public let tenant: String
    public let customerID: String
    /// Unique per source within the tenant: e.g. `conv:<id>:<turn>` or `file:<name>:<line>`.
    public let idempotencyKey: String
    public let source: TagSource
    public let observedAt: Date
    public let modelVersion: String
    public let lexiconVersion: String
    public let observations: [NeedObservation]

    public init(tenant: String, customerID: String, idempotencyKey: String, source: TagSource, observedAt: Date,
                modelVersion: String, lexiconVersion: String, observations: [NeedObservation]) {
        self.tenant = tenant
        self.customerID = customerID
        self.idempotencyKey = idempotencyKey
        self.source = source
        self.observedAt = observedAt
        self.modelVersion = modelVersion
        self.lexiconVersion = lexiconVersion
        self.observations = observations
    }

    /// The key for a conversation turn.
    public static func key(conversation: String, turn: Int) -> String { "conv:\(conversation):\(turn)" }
    /// The key for a conversation turn the caller named (the service's `turn_id`).
    public static func key(conversation: String, turnID: String) -> String { "conv:\(conversation):\(turnID)" }
    /// The key for an archive line.
    public static func key(file: String, line: Int) -> String { "file:\(file):\(line)" }
    /// The key for the n-th record of an archive (records, not lines: one
    /// line of XML can hold many records, one CSV record many lines).
    public static func key(file: String, record: Int) -> String { "file:\(file)#\(record)" }

    /// Checks what a store must never accept.
    public func validate() throws(ProfileStoreError) {
        if tenant.isEmpty || tenant.count > 64 { throw .invalid(field: "tenant", reason: "1–64 characters") }
        if customerID.isEmpty || customerID.count > 128 { throw .invalid(field: "customer_id", reason: "1–128 characters") }
        if idempotencyKey.isEmpty || idempotencyKey.count > 256 { throw .invalid(field: "idempotency_key", reason: "1–256 characters") }
        for observation in observations where !(0...1).contains(observation.confidence) || observation.confidence.isNaN {
            throw .invalid(field: "confidence", reason: "between 0 and 1")
        }
        if Set(observations.map(\.need)).count != observations.count {
            throw .invalid(field: "observations", reason: "one observation per need")
        }
    }
}

/// What a write did.
public struct WriteOutcome: Sendable, Equatable {
    /// The feed events it published, in sequence order (empty for a duplicate or a write that changed nothing).
    public let events: [FeedEvent]
    /// The key had been written before: nothing changed.
    public let duplicate: Bool

    public init(events: [FeedEvent], duplicate: Bool) {
        self.events = events
        self.duplicate = duplicate
    }
}
