import Foundation
import Taxonomy

/// What happened to a tag.
public enum TagChangeKind: String, Codable, Sendable, CaseIterable {
    /// New on the profile, or back after being withdrawn or expired.
    case added
    /// Seen again while active: confidence and expiry renewed.
    case strengthened
    /// The customer took it back.
    case withdrawn
    /// Its time to live ran out.
    case expired
}

/// One event of a tenant's change feed. Sequence numbers are per tenant,
/// start at 1 and have no gaps; the event id is stable (derived from what
/// caused the event, so a replay or a retried write can never mint a second
/// id for the same change).
public struct FeedEvent: Codable, Sendable, Equatable {
    public let tenant: String
    public let sequence: Int64
    public let eventID: String
    public let kind: TagChangeKind
    /// The tag after the change, with the provenance of that change only
    /// (`NeedTag.published`; the profile keeps the history).
    public let tag: NeedTag
    public let occurredAt: Date

    public init(tenant: String, sequence: Int64, eventID: String, kind: TagChangeKind, tag: NeedTag, occurredAt: Date) {
        self.tenant = tenant
        self.sequence = sequence
        self.eventID = eventID
        self.kind = kind
        self.tag = tag
        self.occurredAt = occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case tenant, sequence, kind, tag
        case eventID = "event_id"
        case occurredAt = "occurred_at"
    }

    /// The id of the event a cause (an idempotency key, or an expiry) produces for a need.
    public static func id(tenant: String, cause: String, need: Need, kind: TagChangeKind) -> String {
        let hash = FNV1a.hash("\(tenant)\u{1f}\(cause)\u{1f}\(need.rawValue)\u{1f}\(kind.rawValue)".utf8)
        let hex = String(hash, radix: 16)
        return "evt_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The events for changes numbered from a tenant's counter: the counter
    /// has just been raised by `changes.count` to `last`, so they take
    /// `last − count + 1 … last`, in order.
    public static func numbered(_ changes: [(tag: NeedTag, kind: TagChangeKind)], tenant: String, cause: String,
                                endingAt last: Int64, at date: Date) -> [FeedEvent] {
        let first = last - Int64(changes.count) + 1
        return changes.enumerated().map { offset, change in
            FeedEvent(tenant: tenant, sequence: first + Int64(offset),
                      eventID: id(tenant: tenant, cause: cause, need: change.tag.need, kind: change.kind),
                      kind: change.kind, tag: change.tag.published, occurredAt: date)
        }
    }

    /// The cause of a tag's expiry event: the tag and the expiry it reached,
    /// so the id is the same however many sweepers see it.
    public static func expiryCause(of tag: NeedTag) -> String {
        "expiry:\(tag.customerID):\(StoredJSON.millis(tag.expiresAt))"
    }
}
