import Foundation
import Profiles
import ProfilesSQLite
import Taxonomy
import Testing

/// `xinsheng profiles …` and `xinsheng feed …` against a store in a temporary data directory.
@Suite struct ProfilesCommandTests {
    let cli = CommandLineTests()

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-profiles-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func importCSV_storesGoodRows_namesBadOnesByLine_andNeverEchoesData() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("customers.csv")
        try """
        customer_id,age_band,segment,products_held,consent_sms,consent_phone,timezone
        c-1001,35-44,affluent,mortgage; credit_card,yes,no,Asia/Shanghai
        c-1002,25-34,mass,,perhaps-13912345678,,Asia/Shanghai
        "c-1003","55-64","mass","deposit","1","0","Asia/Urumqi"
        """.write(to: csv, atomically: true, encoding: .utf8)
        let data = directory.appendingPathComponent("data").path
        let imported = try cli.run(["profiles", "import", "--data-dir", data, "--tenant", "bank-a", csv.path])
        #expect(imported.status == 1)
        #expect(imported.stdout.contains("imported 2 profile(s) into tenant bank-a, rejected 1"))
        #expect(imported.stderr.contains("customers.csv:3: consent_sms must be"))
        #expect(!imported.stderr.contains("13912345678"))

        let shown = try cli.run(["profiles", "show", "--data-dir", data, "--tenant", "bank-a", "--customer", "c-1001"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let view = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let profile = try #require(view["profile"] as? [String: Any])
        #expect(profile["products_held"] as? [String] == ["mortgage", "credit_card"])
        #expect(profile["marketing_consent"] as? [String: Bool] == ["sms": true, "phone": false])
        // Another tenant sees nothing.
        let other = try cli.run(["profiles", "show", "--data-dir", data, "--tenant", "bank-b", "--customer", "c-1001"])
        #expect(!other.stdout.contains("affluent"))
    }

    @Test func importJSONL_refusesOtherTenantsAndBadTimeZones() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let jsonl = directory.appendingPathComponent("customers.jsonl")
        try """
        {"customer_id":"c-1","segment":"mass","marketing_consent":{"app_push":true}}
        {"customer_id":"c-2","tenant":"bank-z"}
        {"customer_id":"c-3","timezone":"Mars/Base"}
        not json
        """.write(to: jsonl, atomically: true, encoding: .utf8)
        let result = try cli.run(["profiles", "import", "--data-dir", directory.appendingPathComponent("data").path, jsonl.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("imported 1 profile(s)"))
        #expect(result.stderr.contains("customers.jsonl:2: the row's tenant differs"))
        #expect(result.stderr.contains("customers.jsonl:3:"))
        #expect(result.stderr.contains("customers.jsonl:4: not a valid profile object"))
    }

    @Test func feedRead_printsEventsAfterTheCursorInOrder() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data")
        let policy = try TagPolicy.load(CommandLineTests.packageRoot.appendingPathComponent("config/tags.yaml"))
        do {
            let store = try SQLiteProfileStore(path: data.appendingPathComponent("profiles.sqlite").path, policy: policy)
            for (turn, need) in [Need.homeRenovation, .education, .carPurchase].enumerated() {
                _ = try await store.record(TagWrite(
                    tenant: "local", customerID: "c-1", idempotencyKey: TagWrite.key(conversation: "v1", turn: turn + 1),
                    source: .conversation(id: "v1", turn: turn + 1), observedAt: Date(), modelVersion: "m", lexiconVersion: "l",
                    observations: [NeedObservation(need: need, stance: .present, confidence: 0.8)]))
            }
        }
        let read = try cli.run(["feed", "read", "--data-dir", data.path, "--after", "1"])
        #expect(read.status == 0, "\(read.stderr)")
        let events = read.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.map { $0["sequence"] as? Int } == [2, 3])
        #expect(events.map { $0["kind"] as? String } == ["added", "added"])
        let replay = try cli.run(["feed", "read", "--data-dir", data.path, "--after", "1"])
        #expect(replay.stdout == read.stdout)
        let bad = try cli.run(["feed", "read", "--data-dir", data.path, "--after", "-3"])
        #expect(bad.status != 0)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["XINSHENG_REQUIRE_POSTGRES"] == "1"
                   || ProcessInfo.processInfo.environment["POSTGRES_URL"] != nil))
    func storeURL_putsProfilesInPostgreSQL() throws {
        let url = try #require(ProcessInfo.processInfo.environment["POSTGRES_URL"], "POSTGRES_URL is required here")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tenant = "cli-" + UUID().uuidString.lowercased()
        let jsonl = directory.appendingPathComponent("customers.jsonl")
        try #"{"customer_id":"c-77","segment":"small_business"}"#.appending("\n").write(to: jsonl, atomically: true, encoding: .utf8)
        let imported = try cli.run(["profiles", "import", "--store-url", url, "--tenant", tenant, jsonl.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let shown = try cli.run(["profiles", "show", "--store-url", url, "--tenant", tenant, "--customer", "c-77"])
        #expect(shown.stdout.contains("small_business"), "\(shown.stderr)")
        // Nothing went to the embedded store.
        let embedded = try cli.run(["profiles", "show", "--data-dir", directory.appendingPathComponent("data").path,
                                    "--tenant", tenant, "--customer", "c-77"])
        #expect(!embedded.stdout.contains("small_business"))
    }
}
