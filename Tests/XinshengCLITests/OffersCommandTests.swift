import Foundation
import Testing

/// `xinsheng offers …`, `profiles observe` and `check-config` end to end:
/// the bundled model, the shipped config, a store in a temporary folder.
@Suite struct OffersCommandTests {
    let cli = CommandLineTests()

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-offers-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func ids(_ decision: [String: Any], _ key: String) -> [String] {
        (decision[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    func rules(_ decision: [String: Any], of offer: String) -> [String] {
        let held = (decision["suppressed"] as? [[String: Any]] ?? []).first { $0["id"] as? String == offer }
        return (held?["reasons"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    }

    @Test func observeSuggestFeedback_closeTheLoop() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        let customers = directory.appendingPathComponent("customers.jsonl")
        try #"{"customer_id":"c-1001","age_band":"35-44","segment":"affluent","products_held":["credit_card"],"marketing_consent":{"agent":true,"sms":true}}"#
            .write(to: customers, atomically: true, encoding: .utf8)
        #expect(try cli.run(["profiles", "import", "--data-dir", data, customers.path]).status == 0)

        let observed = try cli.run(["profiles", "observe", "--data-dir", data, "--customer", "c-1001", "--conversation", "t-1", "--turn", "1", "--at", "2030-01-07T09:00:00+08:00",
                                    "下个月拿钥匙，装修想分期，我手机13912345678"])
        #expect(observed.status == 0, "\(observed.stderr)")
        #expect(observed.stdout.contains("added home_renovation"))
        #expect(!observed.stdout.contains("13912345678"))
        let again = try cli.run(["profiles", "observe", "--data-dir", data, "--customer", "c-1001", "--conversation", "t-1", "--turn", "1", "--at", "2030-01-07T09:00:00+08:00",
                                 "下个月拿钥匙，装修想分期，我手机13912345678"])
        #expect(again.stdout.contains("recorded before"))

        let at = "2030-01-07T10:00:00+08:00"
        let first = try json(try cli.run(["offers", "suggest", "--data-dir", data, "--customer", "c-1001", "--at", at, "--format", "json"]).stdout)
        #expect(ids(first, "offers").first == "renovation_installment")
        #expect(first["hardship_active"] as? Bool == false)

        // Hardship: no credit at all, relief first.
        _ = try cli.run(["profiles", "observe", "--data-dir", data, "--customer", "c-1001", "--conversation", "t-1", "--turn", "3", "--at", "2030-01-07T09:30:00+08:00",
                         "公司裁员名单有我，信用卡下个月还不上了"])
        let hardship = try json(try cli.run(["offers", "suggest", "--data-dir", data, "--customer", "c-1001", "--at", at, "--format", "json"]).stdout)
        #expect(hardship["hardship_active"] as? Bool == true)
        let offered = hardship["offers"] as? [[String: Any]] ?? []
        #expect(!offered.isEmpty && offered.allSatisfy { $0["kind"] as? String != "credit" })
        #expect(offered.first?["kind"] as? String == "relief")
        #expect(rules(hardship, of: "renovation_installment") == ["hardship.blocked_kind"])
        let top = try #require(ids(hardship, "offers").first)

        // The agent's rejection starts a cool-down the next decision shows.
        let feedback = ["offers", "feedback", "--data-dir", data, "--customer", "c-1001", "--offer", top, "--outcome", "rejected",
                        "--at", at, "--key", "call-1"]
        #expect(try cli.run(feedback).stdout.contains("recorded"))
        #expect(try cli.run(feedback).stdout.contains("already recorded"))
        let next = try json(try cli.run(["offers", "suggest", "--data-dir", data, "--customer", "c-1001",
                                         "--at", "2030-01-07T10:05:00+08:00", "--format", "json"]).stdout)
        #expect(!ids(next, "offers").contains(top))
        #expect(rules(next, of: top) == ["feedback.rejected_cooldown"])

        // Quiet hours on SMS at 22:30 local time.
        let night = try json(try cli.run(["offers", "suggest", "--data-dir", data, "--customer", "c-1001", "--channel", "sms",
                                          "--at", "2030-01-07T22:30:00+08:00", "--format", "json"]).stdout)
        #expect(ids(night, "offers").isEmpty)
        let nightRules = (night["suppressed"] as? [[String: Any]] ?? []).flatMap { ($0["reasons"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        #expect(nightRules.contains("quiet_hours.sms"))

        // explain shows the context and every rule.
        let explained = try cli.run(["offers", "explain", "--data-dir", data, "--customer", "c-1001", "--at", at, "--format", "text",
                                     "--offer", "renovation_installment"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("need-tag home_renovation"))
        #expect(explained.stdout.contains("hardship.blocked_kind: 客户处于资金困难期，暂停一切新增授信营销"))
        #expect(!explained.stdout.contains("13912345678"))
        let unknown = try cli.run(["offers", "explain", "--data-dir", data, "--customer", "c-1001", "--offer", "no_such_offer"])
        #expect(unknown.status != 0 && unknown.stderr.contains("not in offers.yaml"))
    }

    @Test func aCustomerWithoutAProfile_getsOnlyServiceAndRelief_withANote() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        _ = try cli.run(["profiles", "observe", "--data-dir", data, "--customer", "c-9", "--conversation", "t-9", "--turn", "1",
                         "手头有笔闲钱想存个大额存单"])
        let text = try cli.run(["offers", "suggest", "--data-dir", data, "--customer", "c-9", "--format", "text"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("no profile attributes were imported"))
        #expect(text.stdout.contains("consent.marketing: 客户未同意坐席渠道的营销联系"))
    }

    @Test func checkConfig_passesTheShippedFiles_andListsEveryProblemOfABrokenCopy() throws {
        let good = try cli.run(["check-config"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("valid"))

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["offers.yaml", "policies.yaml", "tags.yaml"] {
            try FileManager.default.copyItem(at: CommandLineTests.packageRoot.appendingPathComponent("config/\(name)"),
                                             to: directory.appendingPathComponent(name))
        }
        let policies = directory.appendingPathComponent("policies.yaml")
        var text = try String(contentsOf: policies, encoding: .utf8)
        text = text.replacingOccurrences(of: "    max: 1\n", with: "    max: -1\n")
        text = text.replacingOccurrences(of: "[mortgage_preapproval, provident_combo_loan]", with: "[mortgage_preapproval, combo_loan]")
        try text.write(to: policies, atomically: true, encoding: .utf8)
        let offers = directory.appendingPathComponent("offers.yaml")
        try (try String(contentsOf: offers, encoding: .utf8)).replacingOccurrences(of: "needs: [car_purchase]", with: "needs: [car_buying]")
            .write(to: offers, atomically: true, encoding: .utf8)

        let bad = try cli.run(["check-config", "--config-dir", directory.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("policies.yaml:"))
        #expect(bad.stderr.contains("frequency_caps.same_offer_weekly.max: must be a whole number from 0 to 10000"))
        #expect(bad.stderr.contains("mutual_exclusions.one_home_loan.offers[1]: unknown offer \"combo_loan\""))
        #expect(bad.stderr.contains("unknown value \"car_buying\""))
        #expect(bad.stderr.contains("invalid"))
    }
}
