import Foundation
import Taxonomy

/// Reads a stored need-tag's JSON without `JSONDecoder`: a store reads a
/// customer's tags back before every write that touches them (to merge the
/// new observation), and in a long mining run — customers seen again and
/// again — `JSONDecoder` took a twentieth of the CPU.
///
/// The fast path parses the JSON into a small tree and builds the tag from
/// it exactly as the `Codable` conformances would (numbers read with the same
/// correctly rounded conversion, dates as milliseconds ÷ 1,000, unknown keys
/// ignored). Anything it does not expect — a missing or mistyped field, an
/// unknown enum value, a repeated key, JSON it cannot parse — it leaves to `JSONDecoder`,
/// which then decodes it or throws its usual error: the result is always
/// what `JSONDecoder` gives. `StoredJSONWriterTests` checks both on
/// thousands of generated tags.
enum StoredJSONReader {
    static func needTag(from json: String) -> NeedTag? {
        var json = json
        return json.withUTF8 { utf8 -> NeedTag? in
            var parser = Parser(bytes: utf8)
            guard let value = parser.document() else { return nil }
            return needTag(value)
        }
    }

    // MARK: The stored types

    private static func needTag(_ value: Value) -> NeedTag? {
        guard case .object(let fields) = value,
              let tenant = fields.string("tenant"), let customerID = fields.string("customer_id"),
              let need = fields.string("need").flatMap(Need.init(rawValue:)), let confidence = fields.double("confidence"),
              let status = fields.string("status").flatMap(TagStatus.init(rawValue:)),
              let firstSeen = fields.date("first_seen"), let lastSeen = fields.date("last_seen"), let expiresAt = fields.date("expires_at"),
              case .array(let items)? = fields["provenance"] else { return nil }
        var provenance: [Provenance] = []
        provenance.reserveCapacity(items.count)
        for item in items {
            guard let observation = self.provenance(item) else { return nil }
            provenance.append(observation)
        }
        return NeedTag(tenant: tenant, customerID: customerID, need: need, confidence: confidence, status: status,
                       firstSeen: firstSeen, lastSeen: lastSeen, expiresAt: expiresAt, provenance: provenance)
    }

    private static func provenance(_ value: Value) -> Provenance? {
        guard case .object(let fields) = value, case .array(let spans)? = fields["evidence"],
              let modelVersion = fields.string("model_version"), let lexiconVersion = fields.string("lexicon_version"),
              let observedAt = fields.date("observed_at"), case .object(let source)? = fields["source"] else { return nil }
        var evidence: [MaskedEvidence] = []
        evidence.reserveCapacity(spans.count)
        for span in spans {
            guard case .object(let span) = span, let start = span.int("start"), let end = span.int("end"), let text = span.string("text")
            else { return nil }
            evidence.append(MaskedEvidence(start: start, end: end, text: text))
        }
        let tagSource: TagSource
        switch source.string("kind") {
        case "conversation":
            guard let id = source.string("conversation_id"), let turn = source.int("turn") else { return nil }
            tagSource = .conversation(id: id, turn: turn)
        case "archive":
            guard let file = source.string("file"), let line = source.int("line") else { return nil }
            tagSource = .archive(file: file, line: line)
        default:
            return nil
        }
        return Provenance(source: tagSource, evidence: evidence, modelVersion: modelVersion, lexiconVersion: lexiconVersion,
                          observedAt: observedAt)
    }

    // MARK: A JSON tree

    indirect enum Value {
        case object(Fields)
        case array([Value])
        case string(String)
        /// The number's text, converted when a field asks for it.
        case number(Substring)
        case other
    }

    /// An object's members, each key once (an object repeating a key is left to `JSONDecoder`).
    struct Fields {
        var members: [(key: String, value: Value)] = []

        subscript(key: String) -> Value? {
            members.first { $0.key == key }?.value
        }

        func string(_ key: String) -> String? {
            guard case .string(let text)? = self[key] else { return nil }
            return text
        }

        func double(_ key: String) -> Double? {
            guard case .number(let text)? = self[key] else { return nil }
            return Double(text)
        }

        /// Only plain integers; anything else (`1.0`, `1e3`) is left to `JSONDecoder`.
        func int(_ key: String) -> Int? {
            guard case .number(let text)? = self[key] else { return nil }
            return Int(text)
        }

        func date(_ key: String) -> Date? {
            double(key).map { Date(timeIntervalSince1970: $0 / 1000.0) }
        }
    }

    /// A strict recursive-descent parser over UTF-8 bytes (RFC 8259); nil on anything malformed.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func document() -> Value? {
            guard let value = value() else { return nil }
            skipSpace()
            return index == bytes.count ? value : nil
        }

        private mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        private mutating func value() -> Value? {
            skipSpace()
            guard index < bytes.count, depth < 64 else { return nil }
            switch bytes[index] {
            case 0x7B: return object()
            case 0x5B: return array()
            case 0x22: return string().map(Value.string)
            case 0x2D, 0x30...0x39: return number()
            default: return literal()
            }
        }

        private mutating func object() -> Value? {
            index += 1
            depth += 1
            defer { depth -= 1 }
            var fields = Fields()
            skipSpace()
            if index < bytes.count, bytes[index] == 0x7D {
                index += 1
                return .object(fields)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == 0x22, let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == 0x3A else { return nil }
                index += 1
                guard let member = value(), fields[key] == nil else { return nil }
                fields.members.append((key, member))
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == 0x2C { index += 1; continue }
                guard bytes[index] == 0x7D else { return nil }
                index += 1
                return .object(fields)
            }
        }

        private mutating func array() -> Value? {
            index += 1
            depth += 1
            defer { depth -= 1 }
            var items: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == 0x5D {
                index += 1
                return .array(items)
            }
            while true {
                guard let item = value() else { return nil }
                items.append(item)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == 0x2C { index += 1; continue }
                guard bytes[index] == 0x5D else { return nil }
                index += 1
                return .array(items)
            }
        }

        /// A string at the opening quote; escapes decoded, unpaired surrogates refused.
        private mutating func string() -> String? {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != 0x22, bytes[index] != 0x5C {
                guard bytes[index] >= 0x20 else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == 0x22 {
                defer { index += 1 }
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            // Escapes: decode the rest unit by unit.
            var units = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x22 {
                    index += 1
                    return String(validating: units, as: UTF8.self)
                }
                guard byte >= 0x20 else { return nil }
                guard byte == 0x5C else {
                    units.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case 0x22, 0x5C, 0x2F: units.append(escaped)
                case 0x62: units.append(0x08)
                case 0x66: units.append(0x0C)
                case 0x6E: units.append(0x0A)
                case 0x72: units.append(0x0D)
                case 0x74: units.append(0x09)
                case 0x75:
                    guard let first = hexUnit() else { return nil }
                    var scalar: Unicode.Scalar?
                    if UTF16.isLeadSurrogate(first) {
                        guard index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else { return nil }
                        index += 2
                        guard let second = hexUnit(), UTF16.isTrailSurrogate(second) else { return nil }
                        scalar = Unicode.Scalar(0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00))
                    } else {
                        scalar = Unicode.Scalar(first)
                    }
                    guard let scalar else { return nil }
                    units.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    return nil
                }
            }
            return nil
        }

        private mutating func hexUnit() -> UInt16? {
            guard index + 4 <= bytes.count else { return nil }
            var unit: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                unit = unit << 4 | UInt16(digit)
                index += 1
            }
            return unit
        }

        /// A number's text, checked against JSON's grammar.
        private mutating func number() -> Value? {
            let start = index
            if bytes[index] == 0x2D { index += 1 }
            guard digits(leadingZeroAlone: true) else { return nil }
            if index < bytes.count, bytes[index] == 0x2E {
                index += 1
                guard digits(leadingZeroAlone: false) else { return nil }
            }
            if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
                index += 1
                if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
                guard digits(leadingZeroAlone: false) else { return nil }
            }
            return .number(Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }

        /// One or more digits; with `leadingZeroAlone`, a leading 0 is the whole integer part.
        private mutating func digits(leadingZeroAlone: Bool) -> Bool {
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start else { return false }
            return !(leadingZeroAlone && bytes[start] == 0x30 && index - start > 1)
        }

        private mutating func literal() -> Value? {
            for word in ["true", "false", "null"] {
                let utf8 = Array(word.utf8)
                if index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 {
                    index += utf8.count
                    return .other
                }
            }
            return nil
        }
    }
}
