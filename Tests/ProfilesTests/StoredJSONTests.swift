import Foundation
import Testing
import Taxonomy
@testable import Profiles

/// The stored forms both stores write: a feed event built around its tag's
/// JSON is the same bytes as the event encoded whole.
@Suite struct StoredJSONTests {
    static func tag(tenant: String, provenance: Int, at date: Date) -> NeedTag {
        let observations = (0..<provenance).map { index in
            Provenance(source: index.isMultiple(of: 2) ? .conversation(id: "conv \"q\" \(index)", turn: index)
                                                       : .archive(file: "a/b,\"tenant\":.jsonl", line: index),
                       evidence: [MaskedEvidence(start: 0, end: 2, text: "装修"), MaskedEvidence(start: 3, end: 9, text: "[PHONE]\\n")],
                       modelVersion: "m", lexiconVersion: "l", observedAt: date.addingTimeInterval(Double(index) * 0.123))
        }
        return NeedTag(tenant: tenant, customerID: "c-1\u{2028}", need: .homeRenovation, confidence: 0.123456789, status: .active,
                       firstSeen: date, lastSeen: date, expiresAt: date.addingTimeInterval(86_400.5), provenance: observations)
    }

    @Test(arguments: ["bank-a", "银行 \"甲\",\"tenant\":x", "t\\\u{0}"])
    func event_builtAroundItsTagJSON_isTheSameBytes(tenant: String) throws {
        let date = Date(timeIntervalSince1970: 1_764_864_000.0004567)
        for provenance in [0, 1, 4] {
            let saved = Self.tag(tenant: tenant, provenance: provenance, at: date)
            for kind in TagChangeKind.allCases {
                let event = FeedEvent.numbered([(tag: saved, kind: kind)], tenant: tenant, cause: "k", endingAt: 42, at: date)[0]
                let whole = try StoredJSON.encode(event)
                let change = SavedChange(tag: saved, kind: kind, json: try StoredJSON.encode(saved))
                #expect(try StoredJSON.encode(event, saved: change) == whole)
                #expect(try StoredJSON.encode(event, tagJSON: StoredJSON.encode(event.tag)) == whole)
                #expect(try StoredJSON.decode(FeedEvent.self, from: whole) == event)
            }
        }
    }

    @Test func publishedTag_carriesOnlyTheNewestObservation() {
        let date = Date(timeIntervalSince1970: 1_764_864_000)
        let tag = Self.tag(tenant: "t", provenance: 4, at: date)
        #expect(tag.published.provenance == [tag.provenance[3]])
        var rest = tag.published
        rest.provenance = tag.provenance
        #expect(rest == tag)
        #expect(Self.tag(tenant: "t", provenance: 0, at: date).published.provenance.isEmpty)
    }
}
