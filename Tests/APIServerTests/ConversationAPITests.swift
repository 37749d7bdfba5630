import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The turn endpoints on the real application: state, idempotency, the
/// profile and feed writes, offers, and hardship protection end to end.
@Suite struct ConversationAPITests {
    @Test func aCustomerTurnReturnsTheStateAndWritesTheTag() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.router) { client in
            let created = try await client.execute(uri: "/v1/conversations/conv-1/turns", method: .post, headers: Call.headers(),
                                                   body: Call.turn("下个月拿钥匙，想办个装修分期，我电话13912345678", turnID: "t1"))
            #expect(created.status == .created)
            let json = created.json
            #expect(json["duplicate"] as? Bool == false)
            let masked = try #require(json[path: "turn.masked_text"] as? String)
            #expect(!masked.contains("13912345678"))
            let needs = try #require(json[path: "conversation.needs"] as? [[String: Any]])
            #expect(needs.contains { $0["need"] as? String == "home_renovation" && $0["status"] as? String == "active" })
            let highlights = try #require(json[path: "turn.highlights"] as? [[String: Any]])
            for span in highlights {
                let start = try #require(span["start"] as? Int), end = try #require(span["end"] as? Int)
                let utf16 = Array(masked.utf16)
                #expect(String(decoding: utf16[start..<end], as: UTF16.self) == span["text"] as? String)
            }
            let changes = try #require(json["tag_changes"] as? [[String: Any]])
            #expect(changes.contains { $0["need"] as? String == "home_renovation" && $0["kind"] as? String == "added" })

            // The tag is on the profile, with provenance, and on the feed.
            let profile = try await client.execute(uri: "/v1/profiles/c-1001", method: .get, headers: Call.headers(json: false))
            #expect(profile.status == .ok)
            let tags = try #require(profile.json["tags"] as? [[String: Any]])
            #expect(tags.contains { $0["need"] as? String == "home_renovation" })
            let feed = try await client.execute(uri: "/v1/feed?after=0", method: .get, headers: Call.headers(json: false))
            #expect((feed.json["events"] as? [Any])?.count == changes.count)

            // Re-sending the turn id changes nothing: same turn, no event, same feed.
            let again = try await client.execute(uri: "/v1/conversations/conv-1/turns", method: .post, headers: Call.headers(),
                                                 body: Call.turn("下个月拿钥匙，想办个装修分期，我电话13912345678", turnID: "t1"))
            #expect(again.status == .ok)
            #expect(again.json["duplicate"] as? Bool == true)
            #expect((again.json["tag_changes"] as? [Any])?.isEmpty == true)
            #expect(again.json[path: "conversation.turn_count"] as? Int == 1)
            #expect(again.json[path: "turn.turn_id"] as? String == "t1")
            let feedAfter = try await client.execute(uri: "/v1/feed?after=0", method: .get, headers: Call.headers(json: false))
            #expect(feedAfter.json["last_sequence"] as? Int == feed.json["last_sequence"] as? Int)

            // GET shows the same conversation.
            let state = try await client.execute(uri: "/v1/conversations/conv-1", method: .get, headers: Call.headers(json: false))
            #expect(state.status == .ok)
            #expect((state.json["turns"] as? [Any])?.count == 1)
            #expect(state.json["customer_id"] as? String == "c-1001")
        }
    }

    @Test func agentTurnsAreContextOnly() async throws {
        let service = try TestService()
        try await service.application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/conversations/conv-2/turns", method: .post, headers: Call.headers(),
                                                    body: Call.turn("您是想办理装修贷款还是买房贷款？", speaker: "agent"))
            #expect(response.status == .created)
            #expect((response.json[path: "conversation.needs"] as? [Any])?.isEmpty == true)
            #expect(response.json[path: "turn.sentiment"] == nil || response.json[path: "turn.sentiment"] is NSNull)
            let feed = try await client.execute(uri: "/v1/feed", method: .get, headers: Call.headers(json: false))
            #expect(feed.json["last_sequence"] as? Int == 0)
        }
    }

    /// The browser test's conversation, checked at the API: a renovation
    /// need, then a layoff. Credit is held back by the hardship rule and
    /// relief is offered.
    @Test func aLayoffSuppressesCreditAndPromotesRelief() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.router) { client in
            var last: [String: Any] = [:]
            let turns = TestService.layoffConversation
            for (index, (speaker, text)) in turns.enumerated() {
                let response = try await client.execute(uri: "/v1/conversations/layoff/turns", method: .post, headers: Call.headers(),
                                                        body: Call.turn(text, speaker: speaker, turnID: "t\(index + 1)"))
                #expect(response.status == .created)
                last = response.json
            }
            let needs = try #require(last[path: "conversation.needs"] as? [[String: Any]])
            #expect(needs.contains { $0["need"] as? String == "financial_hardship" && $0["status"] as? String == "active" })
            #expect(last[path: "conversation.offers.hardship_active"] as? Bool == true)
            let offers = try #require(last[path: "conversation.offers.offers"] as? [[String: Any]])
            #expect(!offers.isEmpty)
            #expect(offers.allSatisfy { $0["kind"] as? String != "credit" })
            #expect(offers.contains { $0["kind"] as? String == "relief" })
            let suppressed = try #require(last[path: "conversation.offers.suppressed"] as? [[String: Any]])
            let credit = suppressed.filter { $0["kind"] as? String == "credit" }
            #expect(!credit.isEmpty)
            for offer in credit {
                let categories = (offer["reasons"] as? [[String: Any]] ?? []).compactMap { $0["category"] as? String }
                #expect(categories.contains("hardship"))
            }
        }
    }

    @Test func aConversationBelongsToOneCustomer() async throws {
        let service = try TestService()
        try await service.application.test(.router) { client in
            _ = try await client.execute(uri: "/v1/conversations/conv-3/turns", method: .post, headers: Call.headers(),
                                         body: Call.turn("你好", customer: "c-1"))
            let other = try await client.execute(uri: "/v1/conversations/conv-3/turns", method: .post, headers: Call.headers(),
                                                 body: Call.turn("你好", customer: "c-2"))
            #expect(other.status == .conflict)
            #expect(other.errorCode == "request.conflict")
            let unknown = try await client.execute(uri: "/v1/conversations/nope", method: .get, headers: Call.headers(json: false))
            #expect(unknown.status == .notFound)
        }
    }

    @Test func feedbackIsRecordedOnceAndChangesTheOffers() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.router) { client in
            _ = try await client.execute(uri: "/v1/conversations/fb/turns", method: .post, headers: Call.headers(),
                                         body: Call.turn("公司裁员名单有我，房贷下个月还不上了"))
            let body = Call.body(["outcome": "rejected", "key": "call-1"])
            let first = try await client.execute(uri: "/v1/profiles/c-1001/offers/repayment_deferral/feedback", method: .post,
                                                 headers: Call.headers(), body: body)
            #expect(first.status == .created)
            #expect(first.json["recorded"] as? Bool == true)
            let ranked = (first.json[path: "offers.offers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(!ranked.contains("repayment_deferral"))
            let second = try await client.execute(uri: "/v1/profiles/c-1001/offers/repayment_deferral/feedback", method: .post,
                                                  headers: Call.headers(), body: body)
            #expect(second.status == .ok)
            #expect(second.json["recorded"] as? Bool == false)
            let unknownOffer = try await client.execute(uri: "/v1/profiles/c-1001/offers/free_money/feedback", method: .post,
                                                        headers: Call.headers(), body: body)
            #expect(unknownOffer.status == .notFound)
            let badOutcome = try await client.execute(uri: "/v1/profiles/c-1001/offers/repayment_deferral/feedback", method: .post,
                                                      headers: Call.headers(), body: Call.body(["outcome": "maybe"]))
            #expect(badOutcome.status == .badRequest)
            #expect(badOutcome.errorCode == "request.invalid_field")
        }
    }

    @Test func analyzeReturnsLabelsAndMaskedText() async throws {
        let service = try TestService()
        try await service.application.test(.router) { client in
            let response = try await client.execute(uri: "/v1/analyze", method: .post, headers: Call.headers(),
                                                    body: Call.body(["text": "帐户被冻结了！！客服电话打不通，我身份证110101199003074514"]))
            #expect(response.status == .ok)
            let masked = try #require(response.json["masked_text"] as? String)
            #expect(!masked.contains("110101199003074514"))
            #expect(response.json[path: "sentiment.label"] as? String == "negative")
            #expect(response.json[path: "intent.label"] is String)
            #expect(response.json["model_version"] is String)
        }
    }
}
