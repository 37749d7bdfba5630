import Foundation
import Testing
import Taxonomy
@testable import Profiles

/// `StoredJSONWriter` spells out the JSON of tags and events by hand; these
/// check it against what `JSONEncoder` (with `StoredJSON`'s settings) writes,
/// byte for byte, on generated values with everything that could differ:
/// escapes and control characters, non-ASCII and emoji, slashes, integral,
/// tiny, huge and negative numbers, sub-millisecond dates, empty lists.
@Suite struct StoredJSONWriterTests {
    /// A small deterministic generator (the same values every run).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

        mutating func string() -> String {
            let pieces = ["装修", "a", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{c}", "\u{0}", "\u{1f}", "\u{7f}", "\u{2028}",
                          "😀", "é", "[PHONE]", " ", "c-42", "\u{1}", "x\u{1b}y", "}", ",\"tenant\":"]
            return (0..<below(6)).map { _ in pick(pieces) }.joined()
        }

        mutating func double() -> Double {
            switch below(8) {
            case 0: return Double(below(5))
            case 1: return pick([0.1, 0.9976, 1e-7, 2.5e-5, 1e21, 1e16, -0.0, 123456789012345678.0, 0.30000000000000004, 5e-324])
            case 2: return -Double(next()) / Double(1 << 20)
            default: return Double(next()) / Double(1 << 53)
            }
        }

        mutating func date() -> Date {
            switch below(3) {
            case 0: return Date(timeIntervalSince1970: Double(1_700_000_000 + below(100_000_000)))
            case 1: return Date(timeIntervalSince1970: 1_764_864_000 + Double(next()) / Double(1 << 40))
            default: return Date(timeIntervalSince1970: Double(below(1 << 20)) / 1_000 - 500)
            }
        }

        mutating func tag() -> NeedTag {
            let provenance = (0..<below(4)).map { _ in
                Provenance(source: below(2) == 0 ? .conversation(id: string(), turn: below(1000) - 3) : .archive(file: string(), line: below(1 << 30)),
                           evidence: (0..<below(3)).map { _ in MaskedEvidence(start: below(100), end: below(100), text: string()) },
                           modelVersion: string(), lexiconVersion: string(), observedAt: date())
            }
            return NeedTag(tenant: string(), customerID: string(), need: pick(Need.allCases), confidence: double(),
                           status: pick(TagStatus.allCases), firstSeen: date(), lastSeen: date(), expiresAt: date(), provenance: provenance)
        }
    }

    static func encoded<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try StoredJSON.encoder.encode(value), as: UTF8.self)
    }

    @Test func tagsAndEvents_areWhatJSONEncoderWrites() throws {
        var generator = Generator(state: 2026)
        for _ in 0..<3_000 {
            let tag = generator.tag()
            let json = try StoredJSON.encode(tag)
            #expect(json == (try Self.encoded(tag)))
            let event = FeedEvent(tenant: tag.tenant, sequence: Int64(generator.below(1 << 40)), eventID: generator.string(),
                                  kind: generator.pick(TagChangeKind.allCases), tag: tag, occurredAt: generator.date())
            #expect(try StoredJSON.encode(event) == (try Self.encoded(event)))
            #expect(try StoredJSON.encode(event, tagJSON: json) == (try Self.encoded(event)))
        }
    }

    @Test func tagsReadBack_areWhatJSONDecoderGives() throws {
        var generator = Generator(state: 11)
        for _ in 0..<3_000 {
            let json = try StoredJSON.encode(generator.tag())
            let fast = try #require(StoredJSONReader.needTag(from: json), "the reader took \(json)")
            let slow = try StoredJSON.decoder.decode(NeedTag.self, from: Data(json.utf8))
            #expect(fast == slow)
            // Dates compared to the bit: Date's == compares intervals, which is what matters, but be exact.
            #expect(fast.expiresAt.timeIntervalSince1970.bitPattern == slow.expiresAt.timeIntervalSince1970.bitPattern)
            #expect(fast.confidence.bitPattern == slow.confidence.bitPattern)
        }
    }

    /// JSON a person might write into the store by hand: other spacing,
    /// escapes JSONEncoder never writes, keys in another order, extra keys.
    @Test func handWrittenJSON_isReadAsJSONDecoderReadsIt() throws {
        let json = #"""
         { "tenant" : "t\u00e9\/\ud83d\ude00" , "extra": [1, {"a": null}, true, -2.5e+3],
           "customer_id":"c","need":"education","confidence":1E-2,"status":"active",
           "first_seen":1735660800000.5,"last_seen":-0,"expires_at":1.7e12,
           "provenance":[{"source":{"line":3,"kind":"archive","file":"f\n"},"observed_at":0,
                          "model_version":"m","lexicon_version":"l","evidence":[{"text":"x","start":0,"end":1}]}] }
        """#
        let fast = try #require(StoredJSONReader.needTag(from: json))
        #expect(fast == (try StoredJSON.decoder.decode(NeedTag.self, from: Data(json.utf8))))
        #expect(fast.tenant == "té/😀" && fast.provenance[0].source == .archive(file: "f\n", line: 3))
    }

    /// What the reader does not take is left to JSONDecoder: the same tag
    /// (an integer written as 1.0) or the same kind of error.
    @Test func whatTheReaderDoesNotTake_isLeftToJSONDecoder() throws {
        let date = Date(timeIntervalSince1970: 1_764_864_000)
        let tag = NeedTag(tenant: "t", customerID: "c", need: .education, confidence: 0.5, status: .active, firstSeen: date,
                          lastSeen: date, expiresAt: date, provenance: [Provenance(source: .conversation(id: "x", turn: 2), evidence: [],
                                                                                    modelVersion: "m", lexiconVersion: "l", observedAt: date)])
        let json = try StoredJSON.encode(tag)
        let asFloat = json.replacingOccurrences(of: "\"turn\":2", with: "\"turn\":2.0")
        #expect(StoredJSONReader.needTag(from: asFloat) == nil)
        // A repeated key: whichever value JSONDecoder keeps, it decides.
        let repeated = json.replacingOccurrences(of: "\"need\":\"education\"", with: "\"need\":\"education\",\"need\":\"retirement\"")
        #expect(repeated != json && StoredJSONReader.needTag(from: repeated) == nil)
        #expect((try? StoredJSON.decode(NeedTag.self, from: repeated)) == (try? StoredJSON.decoder.decode(NeedTag.self, from: Data(repeated.utf8))))
        #expect(try StoredJSON.decode(NeedTag.self, from: asFloat) == (try StoredJSON.decoder.decode(NeedTag.self, from: Data(asFloat.utf8))))
        for broken in [json.replacingOccurrences(of: "\"education\"", with: "\"astrology\""),
                       String(json.dropLast()), json.replacingOccurrences(of: "\"status\":\"active\",", with: ""),
                       json.replacingOccurrences(of: "\"m\"", with: "\"\\ud800\""), json + "x", "[]", ""] {
            #expect(StoredJSONReader.needTag(from: broken) == nil, "\(broken)")
            #expect(throws: DecodingError.self) { try StoredJSON.decode(NeedTag.self, from: broken) }
        }
    }

    @Test func everyControlCharacterAndEveryNeed_areWrittenAsJSONEncoderDoes() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let date = Date(timeIntervalSince1970: 1_764_864_000.25)
        for need in Need.allCases {
            let tag = NeedTag(tenant: controls, customerID: "\u{7f}/\\\"", need: need, confidence: 1, status: .withdrawn,
                              firstSeen: date, lastSeen: date, expiresAt: date, provenance: [])
            #expect(try StoredJSON.encode(tag) == (try Self.encoded(tag)))
            #expect(StoredJSONReader.needTag(from: try StoredJSON.encode(tag)) == tag)
        }
    }

    @Test func aNumberThatIsNotFinite_isRefusedAsJSONEncoderRefusesIt() {
        let date = Date(timeIntervalSince1970: 0)
        for confidence in [Double.nan, .infinity] {
            let tag = NeedTag(tenant: "t", customerID: "c", need: .education, confidence: confidence, status: .active,
                              firstSeen: date, lastSeen: date, expiresAt: date, provenance: [])
            #expect(throws: EncodingError.self) { try StoredJSON.encode(tag) }
            #expect(throws: EncodingError.self) { try Self.encoded(tag) }
        }
    }
}
