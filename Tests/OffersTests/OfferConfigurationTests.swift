import Foundation
import Testing
@testable import Offers
import Profiles
import Taxonomy

/// Each kind of configuration mistake is caught, with its file, line and key
/// path, and all of them at once.
@Suite struct OfferConfigurationTests {
    func problems(offers: String = Rulebook.offers, policies: String = Rulebook.policies) -> [ConfigurationError.Problem] {
        do {
            _ = try OfferRules.parse(offers: offers, policies: policies)
            return []
        } catch {
            return error.problems
        }
    }

    func replacing(_ text: String, _ old: String, _ new: String) -> String {
        precondition(text.contains(old), "fixture text not found: \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test func theShippedFiles_loadAndServeEveryNeed() throws {
        let served = Set(shippedRules.catalogue.offers.flatMap(\.needs))
        #expect(served == Set(Need.allCases))
        #expect(shippedRules.catalogue.offers.count >= 30)
        // Hardship is served by relief and service only, never by credit.
        let hardshipKinds = Set(shippedRules.catalogue.offers.filter { $0.needs.contains(.financialHardship) }.map(\.kind))
        #expect(hardshipKinds.isSubset(of: [.relief, .service]) && hardshipKinds.contains(.relief))
        #expect(shippedRules.policies.hardship.blocksKinds.contains(.credit))
        for name in ["个人养老金", "房贷预审", "公积金组合贷", "装修分期", "汽车分期", "教育金保险", "大额存单", "重疾险", "境外返现", "经营贷", "婚庆分期", "延期还款"] {
            #expect(shippedRules.catalogue.offers.contains { $0.nameZH.contains(name) }, "the catalogue lacks \(name)")
        }
    }

    @Test func anUnknownNeedID_isReportedWithItsLineAndPath() {
        let found = problems(offers: replacing(Rulebook.offers, "needs: [home_renovation]", "needs: [home_renovations]"))
        #expect(found.count == 1)
        #expect(found.first?.path == "offers.renovation_installment.needs[0]")
        #expect(found.first?.line == 55)
        #expect(found.first?.message.contains("home_renovations") == true)
    }

    @Test func anUnknownOfferInAPolicy_isReported() {
        let found = problems(policies: replacing(Rulebook.policies, "[mortgage_preapproval, provident_combo_loan]", "[mortgage_preapproval, combo_loan]"))
        #expect(found.map(\.path) == ["mutual_exclusions.one_home_loan.offers[1]"])
        #expect(found.first?.message.contains("unknown offer \"combo_loan\"") == true)
        let blocked = problems(policies: replacing(Rulebook.policies, "blocks_offers: [home_insurance]", "blocks_offers: [house_insurance]"))
        #expect(blocked.map(\.path) == ["hardship.blocks_offers[0]"])
    }

    @Test func overlappingQuietHours_andBadSyntax_areReported() {
        let overlapping = problems(policies: replacing(Rulebook.policies, #"["12:00-13:30", "20:30-09:00"]"#, #"["08:00-13:30", "20:30-09:00"]"#))
        #expect(overlapping.map(\.path) == ["quiet_hours.phone[1]"])
        #expect(overlapping.first?.message.contains("overlaps") == true)
        for bad in ["21:00~08:00", "25:00-08:00", "9:00-10:00", "21:00-21:00", "21:60-08:00"] {
            let found = problems(policies: replacing(Rulebook.policies, #"sms: "21:00-08:00""#, #"sms: "\#(bad)""#))
            #expect(found.map(\.path) == ["quiet_hours.sms"], "\(bad)")
            #expect(found.first?.line == 11)
        }
        #expect(problems(policies: replacing(Rulebook.policies, "  sms: \"21:00-08:00\"", "  fax: \"21:00-08:00\"")).map(\.path) == ["quiet_hours.fax"])
    }

    @Test func aNegativeCap_andOtherBadNumbers_areReported() {
        let negative = problems(policies: replacing(Rulebook.policies, "max: 1\n", "max: -1\n"))
        #expect(negative.map(\.path) == ["frequency_caps.same_offer_weekly.max"])
        #expect(negative.first?.message.contains("from 0") == true)
        #expect(problems(policies: replacing(Rulebook.policies, "window_days: 30", "window_days: 0")).map(\.path) == ["frequency_caps.credit_monthly.window_days"])
        #expect(problems(offers: replacing(Rulebook.offers, "min_confidence: 0.6", "min_confidence: 1.6")).map(\.path)
                == ["offers.mortgage_preapproval.eligibility.min_confidence"])
        #expect(problems(offers: replacing(Rulebook.offers, "priority: 80", "priority: 0")).map(\.path) == ["offers.mortgage_preapproval.priority"])
    }

    @Test func unknownKeys_missingVersion_andWrongValues_areAllReportedAtOnce() {
        var offers = replacing(Rulebook.offers, "version: 1\n", "")
        offers = replacing(offers, "    priority: 60\n", "    priority: 60\n    colour: red\n")
        offers = replacing(offers, "kind: insurance", "kind: insurence")
        offers = replacing(offers, "products_not_held: [mortgage]", "products_not_held: [mortage]")
        offers = replacing(offers, #"age_bands: ["25-34", "35-44"]"#, #"age_bands: ["25-35"]"#)
        var policies = replacing(Rulebook.policies, "  per: kind", "  per: product")
        policies = replacing(policies, "exempt_kinds: [relief, service]", "exempt_kinds: [relief, credit]")
        let found = problems(offers: offers, policies: policies)
        let paths = Set(found.map(\.path))
        #expect(paths == ["version", "offers.repayment_deferral.colour", "offers.home_insurance.kind",
                          "offers.mortgage_preapproval.eligibility.products_not_held[0]", "offers.mortgage_preapproval.eligibility.age_bands[0]",
                          "frequency_caps.credit_monthly.per", "consent.exempt_kinds"])
        #expect(found.allSatisfy { $0.path == "version" || $0.line != nil })
    }

    @Test func hardshipMustBlockCredit_andANeedWithoutOffers_isAnError() {
        #expect(problems(policies: replacing(Rulebook.policies, "blocks_kinds: [credit]", "blocks_kinds: [wealth]")).map(\.path) == ["hardship.blocks_kinds"])
        let withoutRelief = problems(offers: replacing(Rulebook.offers, "needs: [financial_hardship]", "needs: [wealth_growth]"))
        #expect(withoutRelief.map(\.path) == ["offers"])
        #expect(withoutRelief.first?.message.contains("financial_hardship") == true)
    }

    @Test func notYAML_isOneClearProblemWithALine() {
        let found = problems(offers: "version: 1\noffers: [\n  - id: x\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("not valid YAML") == true)
        #expect(found.first?.line != nil)
    }

    @Test func errorsName_theFileAndLine() {
        do {
            _ = try OfferRules.parse(offers: Rulebook.offers, policies: replacing(Rulebook.policies, "max: 1\n", "max: -1\n"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("policies.yaml:16: frequency_caps.same_offer_weekly.max: must be a whole number from 0 to 10000"))
        }
    }
}
