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

    /// A stored need-tag: read by `StoredJSONReader` (the hot path of every
    /// tag write), or by `JSONDecoder` when that reader does not take it —
    /// the same tag, or the same error, either way.
    public static func decode(_ type: NeedTag.Type, from json: String) throws -> NeedTag {
        if let tag = StoredJSONReader.needTag(from: json) { return tag }
        return try decoder.decode(type, from: Data(json.utf8))
    }

    /// A need-tag as stored: the same bytes as the generic `encode`, written
    /// by `StoredJSONWriter` (the hot path of every tag write).
    public static func encode(_ tag: NeedTag) throws -> String {
        var writer = StoredJSONWriter()
        try writer.write(tag)
        return writer.text
    }

    /// A feed event as stored: the same bytes as the generic `encode`.
    public static func encode(_ event: FeedEvent) throws -> String {
        try encode(event, tagJSON: encode(event.tag))
    }

    /// A feed event as stored, built around its tag's JSON, which a store
    /// has often just encoded for the tag's row (an added tag is published
    /// as it is saved): the tag, the bulk of an event, is then encoded once,
    /// not twice.
    public static func encode(_ event: FeedEvent, tagJSON: String) throws -> String {
        var writer = StoredJSONWriter(capacity: tagJSON.utf8.count + 160)
        try writer.write(event, tagJSON: tagJSON)
        return writer.text
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
