import Foundation

/// The JSON of a need-tag and of a feed event, written field by field —
/// byte for byte what `StoredJSON`'s `JSONEncoder` writes for them (sorted
/// keys, slashes unescaped, dates as milliseconds since 1970).
///
/// Tags are written on every observation a store records, in the hot loop
/// of batch mining: there `JSONEncoder`'s generic machinery (keyed
/// containers, metadata lookups, reference counting) took a tenth of the
/// run's CPU. The types are small and fixed, so their JSON is spelled out
/// here; `StoredJSONWriterTests` checks it against `JSONEncoder` on
/// thousands of generated tags and events, escapes, emoji, odd numbers and
/// sub-millisecond dates included. A new field on these types must be added
/// here too — those tests fail until it is.
struct StoredJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: The stored types

    mutating func write(_ tag: NeedTag) throws {
        raw("{\"confidence\":")
        try number(tag.confidence)
        raw(",\"customer_id\":")
        string(tag.customerID)
        raw(",\"expires_at\":")
        try date(tag.expiresAt)
        raw(",\"first_seen\":")
        try date(tag.firstSeen)
        raw(",\"last_seen\":")
        try date(tag.lastSeen)
        raw(",\"need\":")
        string(tag.need.rawValue)
        raw(",\"provenance\":[")
        for (index, provenance) in tag.provenance.enumerated() {
            if index > 0 { raw(",") }
            try write(provenance)
        }
        raw("],\"status\":")
        string(tag.status.rawValue)
        raw(",\"tenant\":")
        string(tag.tenant)
        raw("}")
    }

    /// A feed event around its tag's JSON, already written.
    mutating func write(_ event: FeedEvent, tagJSON: String) throws {
        raw("{\"event_id\":")
        string(event.eventID)
        raw(",\"kind\":")
        string(event.kind.rawValue)
        raw(",\"occurred_at\":")
        try date(event.occurredAt)
        raw(",\"sequence\":")
        integer(event.sequence)
        raw(",\"tag\":")
        bytes.append(contentsOf: tagJSON.utf8)
        raw(",\"tenant\":")
        string(event.tenant)
        raw("}")
    }

    private mutating func write(_ provenance: Provenance) throws {
        raw("{\"evidence\":[")
        for (index, span) in provenance.evidence.enumerated() {
            if index > 0 { raw(",") }
            raw("{\"end\":")
            integer(span.end)
            raw(",\"start\":")
            integer(span.start)
            raw(",\"text\":")
            string(span.text)
            raw("}")
        }
        raw("],\"lexicon_version\":")
        string(provenance.lexiconVersion)
        raw(",\"model_version\":")
        string(provenance.modelVersion)
        raw(",\"observed_at\":")
        try date(provenance.observedAt)
        raw(",\"source\":")
        switch provenance.source {
        case .conversation(let id, let turn):
            raw("{\"conversation_id\":")
            string(id)
            raw(",\"kind\":\"conversation\",\"turn\":")
            integer(turn)
        case .archive(let file, let line):
            raw("{\"file\":")
            string(file)
            raw(",\"kind\":\"archive\",\"line\":")
            integer(line)
        }
        raw("}}")
    }

    // MARK: Values, as JSONEncoder writes them

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func integer<Value: BinaryInteger>(_ value: Value) {
        bytes.append(contentsOf: value.description.utf8)
    }

    /// The shortest digits that read back as the same `Double` (Swift's
    /// `description`), without a trailing ".0": 1 for 1.0, 1e+21, 2.5e-05.
    private mutating func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "a stored number must be finite (\(value))"))
        }
        let text = value.description
        let utf8 = text.utf8
        if utf8.count > 2, text.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// `.millisecondsSince1970`: the milliseconds as a `Double`.
    private mutating func date(_ date: Date) throws {
        try number(1000.0 * date.timeIntervalSince1970)
    }

    /// Quotes a string, escaping what JSON requires: the quote, the
    /// backslash, and control characters (\b \t \n \f \r by name, the rest as
    /// \u00xx); everything else, slashes and non-ASCII included, as it is.
    private mutating func string(_ value: String) {
        bytes.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            var clean = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x08: raw("\\b")
                case 0x09: raw("\\t")
                case 0x0A: raw("\\n")
                case 0x0C: raw("\\f")
                case 0x0D: raw("\\r")
                default:
                    raw("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(0x22)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
