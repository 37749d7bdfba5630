import Foundation

/// How every store writes tags, events and profiles into its rows: JSON with
/// sorted keys and dates as milliseconds since 1970, so both stores hold
/// byte-identical documents and a replayed event is the same bytes.
public enum StoredJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from json: String) throws -> T {
        try decoder.decode(type, from: Data(json.utf8))
    }

    /// A feed event as stored — the same bytes as `encode(event)` — built
    /// around its tag's JSON, which a store has often just encoded for the
    /// tag's row (an added tag is published as it is saved): the tag, the
    /// bulk of an event, is then encoded once, not twice.
    public static func encode(_ event: FeedEvent, tagJSON: String) throws -> String {
        var envelope = try encode(FeedEventEnvelope(event))
        // Keys are sorted, so the tag goes just before the last key, the tenant.
        // `,"tenant":` cannot occur inside a value: quotes there are escaped.
        guard let tenant = envelope.range(of: ",\"tenant\":") else { return try encode(event) }
        envelope.insert(contentsOf: ",\"tag\":" + tagJSON, at: tenant.lowerBound)
        return envelope
    }

    /// A feed event as stored, given the change that made it (the tag row
    /// just saved and that row's JSON, reused when the event carries the tag
    /// unchanged).
    public static func encode(_ event: FeedEvent, saved change: SavedChange) throws -> String {
        try encode(event, tagJSON: event.tag == change.tag ? change.json : encode(event.tag))
    }

    /// A date as the integer the stores index and compare (expiry, occurrence).
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}

/// A feed event without its tag: what `StoredJSON.encode(_:tagJSON:)` wraps the tag's JSON in.
private struct FeedEventEnvelope: Encodable {
    let tenant: String
    let sequence: Int64
    let eventID: String
    let kind: TagChangeKind
    let occurredAt: Date

    init(_ event: FeedEvent) {
        tenant = event.tenant
        sequence = event.sequence
        eventID = event.eventID
        kind = event.kind
        occurredAt = event.occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case tenant, sequence, kind
        case eventID = "event_id"
        case occurredAt = "occurred_at"
    }
}

/// A tag change a store has just saved, with the JSON of the tag's row.
public struct SavedChange: Sendable {
    public let tag: NeedTag
    public let kind: TagChangeKind
    public let json: String

    public init(tag: NeedTag, kind: TagChangeKind, json: String) {
        self.tag = tag
        self.kind = kind
        self.json = json
    }
}
