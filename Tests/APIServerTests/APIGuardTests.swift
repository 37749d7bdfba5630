import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Auth, tenant isolation and every kind of bad input: each gets its 4xx and
/// the JSON error body, none crashes, none leaves customer text in the logs.
@Suite struct APIGuardTests {
    @Test func onlyHealthAndTheConsoleAreOpen() async throws {
        let service = try TestService()
        try await service.application.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/console", method: .get).status == .ok)
            let closed: [(String, HTTPRequest.Method)] = [
                ("/ready", .get), ("/metrics", .get), ("/v1/openapi.json", .get), ("/v1/analyze", .post),
                ("/v1/conversations/x/turns", .post), ("/v1/conversations/x", .get), ("/v1/profiles/c-1", .get),
                ("/v1/profiles/c-1/offers/large_cd/feedback", .post), ("/v1/feed", .get), ("/v1/feed/stream", .get),
                ("/v1/conversations/x/live", .get),
            ]
            for (uri, method) in closed {
                let anonymous = try await client.execute(uri: uri, method: method, headers: Call.headers(nil))
                #expect(anonymous.status == .unauthorized, "\(uri)")
                #expect(anonymous.errorCode == "auth.unauthorized")
                let wrong = try await client.execute(uri: uri, method: method, headers: Call.headers("xs_not_a_key"))
                #expect(wrong.status == .unauthorized, "\(uri)")
            }
            // A query token is accepted only where browsers need it.
            let viaQuery = try await client.execute(uri: "/v1/feed?access_token=\(TestService.keyA)", method: .get)
            #expect(viaQuery.status == .unauthorized)
        }
    }

    @Test func aTenantNeverSeesAnotherTenantsData() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.router) { client in
            let a = try await client.execute(uri: "/v1/conversations/shared-id/turns", method: .post, headers: Call.headers(TestService.keyA),
                                             body: Call.turn("我们下个月拿钥匙，装修想分期"))
            #expect(a.status == .created)
            // B cannot read A's conversation, profile tags or feed.
            let read = try await client.execute(uri: "/v1/conversations/shared-id", method: .get, headers: Call.headers(TestService.keyB, json: false))
            #expect(read.status == .notFound)
            let profile = try await client.execute(uri: "/v1/profiles/c-1001", method: .get, headers: Call.headers(TestService.keyB, json: false))
            #expect((profile.json["tags"] as? [Any])?.isEmpty ?? true)
            let feed = try await client.execute(uri: "/v1/feed", method: .get, headers: Call.headers(TestService.keyB, json: false))
            #expect(feed.json["last_sequence"] as? Int == 0)
            // B writing to the same conversation id makes B's own conversation; A's is untouched.
            let b = try await client.execute(uri: "/v1/conversations/shared-id/turns", method: .post, headers: Call.headers(TestService.keyB),
                                             body: Call.turn("你好", customer: "c-9"))
            #expect(b.status == .created)
            #expect(b.json[path: "conversation.turn_count"] as? Int == 1)
            let stillA = try await client.execute(uri: "/v1/conversations/shared-id", method: .get, headers: Call.headers(TestService.keyA, json: false))
            #expect(stillA.json["customer_id"] as? String == "c-1001")
            #expect((stillA.json["turns"] as? [Any])?.count == 1)
            let feedA = try await client.execute(uri: "/v1/feed", method: .get, headers: Call.headers(TestService.keyA, json: false))
            #expect((feedA.json["events"] as? [[String: Any]] ?? []).allSatisfy { $0["tenant"] as? String == "bank_a" })
        }
    }

    @Test func badInputGetsA4xxWithTheErrorBody() async throws {
        let service = try TestService()
        try await service.application.test(.router) { client in
            let uri = "/v1/conversations/bad/turns"
            func expectError(_ body: ByteBuffer, headers: HTTPFields = Call.headers(), _ status: HTTPResponse.Status, _ code: String,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let response = try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                #expect(response.status == status, sourceLocation: sourceLocation)
                #expect(response.errorCode == code, sourceLocation: sourceLocation)
                let error = response.json["error"] as? [String: Any]
                #expect(error?["message"] is String && error?["message_zh"] is String, sourceLocation: sourceLocation)
            }
            try await expectError(ByteBuffer(string: "{\"speaker\": "), .badRequest, "request.invalid_json")
            try await expectError(ByteBuffer(string: "[1, 2]"), .badRequest, "request.invalid_json")
            try await expectError(Call.body(["speaker": "customer", "customer_id": "c"]), .badRequest, "request.missing_field")
            try await expectError(Call.body(["speaker": "robot", "text": "你好", "customer_id": "c"]), .badRequest, "request.invalid_field")
            try await expectError(Call.body(["speaker": "customer", "text": 42, "customer_id": "c"]), .badRequest, "request.invalid_field")
            try await expectError(Call.turn("   "), .badRequest, "input.empty_text")
            try await expectError(Call.turn("好", customer: ""), .badRequest, "request.invalid_field")
            try await expectError(Call.turn(String(repeating: "装修", count: 500_000)), .contentTooLarge, "request.body_too_large")
            var invalid = ByteBuffer(string: "{\"speaker\": \"customer\", \"customer_id\": \"c\", \"text\": \"")
            invalid.writeBytes([0xE8, 0xA3, 0xFF, 0xC0])
            invalid.writeString("\"}")
            try await expectError(invalid, .badRequest, "request.invalid_utf8")
            try await expectError(Call.turn("你好"), headers: [.authorization: "Bearer \(TestService.keyA)", .contentType: "text/plain"],
                                  .unsupportedMediaType, "request.unsupported_media_type")
            try await expectError(Call.turn("你好"), headers: [.authorization: "Bearer \(TestService.keyA)"],
                                  .unsupportedMediaType, "request.unsupported_media_type")
            let unknownRoute = try await client.execute(uri: "/v1/nothing-here", method: .get, headers: Call.headers(json: false))
            #expect(unknownRoute.status == .notFound)
            #expect(unknownRoute.errorCode == "request.not_found")
            let badCursor = try await client.execute(uri: "/v1/feed?after=-3", method: .get, headers: Call.headers(json: false))
            #expect(badCursor.status == .badRequest)
            let badLimit = try await client.execute(uri: "/v1/feed?limit=100000", method: .get, headers: Call.headers(json: false))
            #expect(badLimit.status == .badRequest)
            // After all of that the service still answers.
            #expect(try await client.execute(uri: "/ready", method: .get, headers: Call.headers(json: false)).status == .ok)
        }
    }

    @Test func tooManyRequestsGet429WithRetryAfter() async throws {
        let clock = ManualClock()
        let service = try TestService(tenantBRate: 5, clock: clock)
        try await service.application.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for _ in 0..<12 {
                let response = try await client.execute(uri: "/ready", method: .get, headers: Call.headers(TestService.keyB, json: false))
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    retryAfter = response.headers[.retryAfter]
                    #expect(response.errorCode == "request.rate_limited")
                }
            }
            // Time stands still: exactly the burst of 5 passes, the other 7 are refused.
            #expect(statuses.prefix(5).allSatisfy { $0 == .ok })
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests })
            #expect(retryAfter == "1")
            // A second later the bucket holds a second's worth again: 5 more, then 429.
            clock.advance(seconds: 1)
            var after: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                after.append(try await client.execute(uri: "/ready", method: .get, headers: Call.headers(TestService.keyB, json: false)).status)
            }
            #expect(after == Array(repeating: .ok, count: 5) + [.tooManyRequests])
            // Another tenant is not held back by B's limit.
            #expect(try await client.execute(uri: "/ready", method: .get, headers: Call.headers(TestService.keyA, json: false)).status == .ok)
        }
    }

    /// Planted personal data and distinctive customer words go through every
    /// endpoint, valid and invalid; none of it may reach the log.
    @Test func logsHoldNoCustomerText() async throws {
        let service = try TestService()
        try await service.importCustomers()
        let phone = "13987654321", idNumber = "110101199003074514", card = "6222021234567890128", email = "wang.fang@example.com"
        let words = "我家猫咪叫小橘子想买房"
        let text = "\(words)，电话\(phone)，身份证\(idNumber)，卡号\(card)，邮箱\(email)"
        try await service.application.test(.router) { client in
            _ = try await client.execute(uri: "/v1/analyze", method: .post, headers: Call.headers(), body: Call.body(["text": text]))
            _ = try await client.execute(uri: "/v1/conversations/pii/turns", method: .post, headers: Call.headers(), body: Call.turn(text))
            _ = try await client.execute(uri: "/v1/conversations/pii/turns", method: .post, headers: Call.headers(),
                                         body: Call.body(["speaker": "martian", "text": text, "customer_id": "c-1001"]))
            _ = try await client.execute(uri: "/v1/conversations/pii/turns", method: .post, headers: Call.headers(),
                                         body: ByteBuffer(string: "{\"text\": \"\(text)\""))
            _ = try await client.execute(uri: "/v1/conversations/pii/turns", method: .post, headers: Call.headers(),
                                         body: Call.turn(text + String(repeating: "房", count: 70_000)))
            _ = try await client.execute(uri: "/v1/conversations/pii", method: .get, headers: Call.headers(json: false))
        }
        let logs = service.logs.all
        #expect(logs.contains("route="), "the request log is captured")
        for planted in [phone, idNumber, card, email, "小橘子", words, TestService.keyA] {
            #expect(!logs.contains(planted), "\(planted) leaked into the log")
        }
    }

    @Test func metricsCoverRoutesTurnsTagsAndSuppressions() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.router) { client in
            _ = try await client.execute(uri: "/v1/conversations/m/turns", method: .post, headers: Call.headers(),
                                         body: Call.turn("想装修，下个月拿钥匙"))
            _ = try await client.execute(uri: "/v1/conversations/m/turns", method: .post, headers: Call.headers(),
                                         body: Call.turn("公司裁员名单有我，信用卡都还不上了"))
            _ = try await client.execute(uri: "/v1/feed", method: .get, headers: Call.headers(json: false))
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Call.headers(json: false))
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("xinsheng_http_request_duration_seconds_bucket{route=\"/v1/conversations/{id}/turns\""))
            #expect(text.contains("xinsheng_turns_analysed_total{speaker=\"customer\"} 2"))
            #expect(text.contains("xinsheng_tags_written_total{change=\"added\"}"))
            #expect(text.contains("xinsheng_offers_suppressed_total{category=\"hardship\""))
            #expect(text.contains("xinsheng_feed_lag_events 0"))
            #expect(!text.contains("c-1001") && !text.contains("bank_a"))
        }
    }

    /// The OpenAPI document and the router agree: every route is documented
    /// with its method, and every documented operation exists.
    @Test func theOpenAPIDocumentMatchesTheRoutes() async throws {
        let service = try TestService()
        let router = XinshengServer.router(service.dependencies)
        let document = try #require(try JSONSerialization.jsonObject(with: BundledFiles.openAPI()) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        /// Hummingbird describes `:id` as `{id}`, as OpenAPI writes it.
        func openAPIPath(_ route: String) -> String { route }
        var routed = Set<String>()
        for route in router.routes {
            let path = openAPIPath(route.path.description)
            let method = route.method.rawValue.lowercased()
            routed.insert("\(method) \(path)")
            #expect(paths[path]?[method] != nil, "\(method.uppercased()) \(path) is not in openapi.json")
        }
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                #expect(routed.contains("\(method) \(path)"), "openapi.json documents \(method.uppercased()) \(path), which is not routed")
            }
        }
    }
}

@Suite struct ServerSettingsTests {
    let cwd = URL(fileURLWithPath: "/srv/xs")

    @Test func flagThenEnvironmentThenDefault() throws {
        let defaults = try ServerSettings.resolve(.init(), environment: [:], workingDirectory: cwd)
        #expect(defaults.host == "127.0.0.1" && defaults.port == 8080 && defaults.storeURL == nil)
        #expect(defaults.dataDirectory.path == "/srv/xs/data")
        let environment = ["XINSHENG_PORT": "9000", "XINSHENG_DATA": "/var/lib/xs", "XINSHENG_STORE_URL": "postgres://db/xs",
                           "XINSHENG_RATE_LIMIT": "50"]
        let fromEnvironment = try ServerSettings.resolve(.init(), environment: environment, workingDirectory: cwd)
        #expect(fromEnvironment.port == 9000 && fromEnvironment.dataDirectory.path == "/var/lib/xs")
        #expect(fromEnvironment.storeKind == "postgres" && fromEnvironment.requestsPerSecond == 50)
        var flags = ServerSettings.Overrides()
        flags.port = 7000
        flags.dataDirectory = "here"
        let fromFlags = try ServerSettings.resolve(flags, environment: environment, workingDirectory: cwd)
        #expect(fromFlags.port == 7000 && fromFlags.dataDirectory.path == "/srv/xs/here")
    }

    @Test func malformedValuesNameTheirSource() {
        #expect(throws: SettingsError.outOfRange(setting: "port", source: "XINSHENG_PORT", range: "0…65535")) {
            try ServerSettings.resolve(.init(), environment: ["XINSHENG_PORT": "eighty"], workingDirectory: cwd)
        }
        var flags = ServerSettings.Overrides()
        flags.requestsPerSecond = 0
        #expect(throws: SettingsError.self) { try ServerSettings.resolve(flags, environment: [:], workingDirectory: cwd) }
    }
}

@Suite struct TenantKeysTests {
    @Test func keysAreCheckedByHashOnly() throws {
        let key = TenantKeys.generateKey()
        #expect(key.hasPrefix("xs_") && key.count == 46)
        let keys = try TenantKeys.parse("""
            version: 1
            tenants:
              - id: bank_a
                key_sha256: \(TenantKeys.hash(key))
                requests_per_second: 300
            """, file: "keys.yaml")
        #expect(keys.tenant(forKey: key)?.id == "bank_a")
        #expect(keys.tenant(forKey: key)?.requestsPerSecond == 300)
        #expect(keys.tenant(forKey: key + "x") == nil)
    }

    @Test func everyProblemIsReported() {
        do {
            _ = try TenantKeys.parse("""
                version: 1
                tenants:
                  - id: bank_a
                    key_sha256: xs_plaintext_key_by_mistake
                  - id: bank_b
                    key_sha256: \(String(repeating: "a", count: 64))
                  - id: bank_b
                    key_sha256: \(String(repeating: "b", count: 64))
                    colour: blue
                """, file: "keys.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.problems.count == 3)
            #expect(error.description.contains("keys.yaml:4: tenants[0].key_sha256"))
            #expect(error.description.contains("listed twice"))
            #expect(error.description.contains("colour"))
        }
    }
}
