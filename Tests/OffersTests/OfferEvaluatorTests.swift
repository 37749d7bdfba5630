import Foundation
import Testing
@testable import Offers
import Profiles
import Taxonomy

/// One test per rule, on the small rulebook and a fixed clock (no sleeping).
@Suite struct OfferEvaluatorTests {
    let evaluator = Rulebook.evaluator

    func decide(_ tags: [NeedTag], profile: CustomerProfile = profile(), contacts: [OfferContact] = [],
                channel: ContactChannel = .agent, at now: Date = monday10am) -> OfferDecision {
        evaluator.decide(OfferContext(profile: profile, tags: tags, contacts: contacts, channel: channel, now: now))
    }

    @Test func anActiveNeed_bringsItsOffers_rankedByPriorityTimesConfidence_withReasons() throws {
        let decision = decide([tag(.homePurchase, 0.9, evidence: "下个月去看房")])
        #expect(decision.offerIDs == ["mortgage_preapproval", "home_insurance"])
        #expect(decision.rules(of: "provident_combo_loan") == ["eligibility.products_held"])
        let first = try #require(decision.offers.first)
        #expect(first.rank == 1)
        #expect(abs(first.score - 0.8 * 0.9) < 1e-9)
        #expect(first.reasons.map(\.rule) == ["need.active", "eligibility", "consent.marketing", "score"])
        #expect(first.reasons[0] == .need(.homePurchase, confidence: 0.9, evidence: ["下个月去看房"], source: .conversation(id: "conv-1", turn: 3)))
        #expect(first.reasons[0].messageZH.contains("下个月去看房"))
        #expect(first.reasons[1].message.contains("age band 25-34 is one of 25-34, 35-44"))
        #expect(decision.offers[1].offer.id == "home_insurance")
        // Nothing serves a need the customer does not have.
        #expect(!decision.offerIDs.contains("large_cd") && decision.suppression("large_cd") == nil)
    }

    @Test func activeHardship_blocksEveryCreditOffer_andPromotesRelief() throws {
        let decision = decide([tag(.homePurchase, 0.95), tag(.homeRenovation, 0.9), tag(.financialHardship, 0.5)])
        #expect(decision.hardshipActive)
        #expect(decision.offerIDs == ["repayment_deferral"])
        #expect(decision.rules(of: "mortgage_preapproval").first == "hardship.blocked_kind")
        #expect(decision.rules(of: "renovation_installment") == ["hardship.blocked_kind"])
        #expect(decision.rules(of: "home_insurance") == ["hardship.blocked_offer"])
        let suppressed = try #require(decision.suppression("mortgage_preapproval"))
        #expect(suppressed.reasons[0].category == .hardship)
        #expect(suppressed.reasons[0].messageZH == "客户处于资金困难期，暂停一切新增授信营销")
        let relief = try #require(decision.offers.first)
        #expect(relief.reasons.contains(.hardshipPromoted(boost: 2)))
        #expect(abs(relief.score - 0.6 * 0.5 * 2) < 1e-9)
    }

    @Test func hardshipThatIsWithdrawnOrExpired_blocksNothing() {
        let withdrawn = decide([tag(.homePurchase, 0.9), tag(.financialHardship, 0.8, status: .withdrawn)])
        #expect(!withdrawn.hardshipActive && withdrawn.offerIDs.first == "mortgage_preapproval")
        let lapsed = decide([tag(.homePurchase, 0.9), tag(.financialHardship, 0.8, seen: monday10am.addingTimeInterval(-days(91)))])
        #expect(!lapsed.hardshipActive && lapsed.offerIDs.first == "mortgage_preapproval")
        // Still active one minute before expiry, however low its decayed confidence.
        let fading = decide([tag(.homePurchase, 0.9), tag(.financialHardship, 0.8, seen: monday10am.addingTimeInterval(-days(90) + 60))])
        #expect(fading.hardshipActive && !fading.offerIDs.contains("mortgage_preapproval"))
    }

    @Test func anOfferNotOnTheChannel_isHeldWithThatRule() {
        let decision = decide([tag(.homePurchase, 0.9)], channel: .appPush)
        #expect(decision.offerIDs == ["home_insurance"])
        #expect(decision.rules(of: "mortgage_preapproval") == ["channel.not_offered"])
    }

    @Test func noMarketingConsent_holdsMarketing_butNotRelief() {
        let decision = decide([tag(.homePurchase, 0.9), tag(.financialHardship, 0.7)],
                              profile: profile(consent: [.agent: false]))
        #expect(decision.offerIDs == ["repayment_deferral"])
        #expect(decision.offers[0].reasons.contains(.consent(.agent, exemptKind: .relief)))
        #expect(decision.rules(of: "home_insurance") == ["hardship.blocked_offer", "consent.marketing"])
        let plain = decide([tag(.wealthGrowth, 0.9)], profile: profile(consent: [:]))
        #expect(plain.offerIDs.isEmpty)
        #expect(plain.suppression("large_cd")?.reasons.map(\.category) == [.noConsent])
    }

    @Test func quietHours_followTheCustomersTimeZone_acrossMidnight() {
        let tags = [tag(.wealthGrowth, 0.9)]
        // 22:30 in Shanghai: inside 21:00-08:00.
        let late = monday10am.addingTimeInterval(hours(12.5))
        let held = decide(tags, channel: .sms, at: late)
        #expect(held.offerIDs.isEmpty)
        #expect(held.rules(of: "large_cd") == ["quiet_hours.sms"])
        #expect(held.suppression("large_cd")?.reasons[0].message == "quiet hours 21:00-08:00 on sms; it is 22:30 in Asia/Shanghai")
        // 07:59 is still quiet, 08:00 is not.
        #expect(decide(tags, channel: .sms, at: monday10am.addingTimeInterval(-hours(2) - 60)).offerIDs.isEmpty)
        #expect(decide(tags, channel: .sms, at: monday10am.addingTimeInterval(-hours(2))).offerIDs == ["large_cd"])
        // The same instant is 15:30 in London: not quiet there.
        #expect(decide(tags, profile: profile(timezone: "Europe/London"), channel: .sms, at: late).offerIDs == ["large_cd"])
        // The agent channel has no quiet hours; the phone's lunch window holds calls.
        #expect(decide(tags, channel: .agent, at: late).offerIDs == ["large_cd"])
        #expect(decide(tags, channel: .phone, at: monday10am.addingTimeInterval(hours(2.5))).rules(of: "large_cd") == ["quiet_hours.phone"])
    }

    @Test func eachEligibilityCondition_holdsWithItsOwnRule() {
        let home = [tag(.homePurchase, 0.9)]
        #expect(decide(home, profile: profile(age: "55-64")).rules(of: "mortgage_preapproval") == ["eligibility.age_band"])
        #expect(decide(home, profile: profile(age: nil)).rules(of: "mortgage_preapproval") == ["eligibility.age_band"])
        #expect(decide(home, profile: profile(segment: "private")).rules(of: "mortgage_preapproval") == ["eligibility.segment"])
        #expect(decide(home, profile: profile(holds: ["mortgage"])).rules(of: "mortgage_preapproval") == ["eligibility.products_not_held"])
        #expect(decide(home, profile: profile(holds: ["payroll"])).offerIDs.contains("provident_combo_loan") == false) // excluded by the better home loan
        #expect(decide([tag(.homePurchase, 0.55)]).rules(of: "mortgage_preapproval") == ["eligibility.min_confidence"])
        // Several failures are all listed.
        #expect(decide(home, profile: profile(age: "65+", segment: "private", holds: ["mortgage"])).rules(of: "mortgage_preapproval")
                == ["eligibility.age_band", "eligibility.segment", "eligibility.products_not_held"])
    }

    @Test func confidence_decaysTowardExpiry_beforeItIsCompared() {
        // Seen at 0.9 sixty days ago with a 90-day TTL: 0.3 now, under the 0.6 minimum.
        let old = tag(.homePurchase, 0.9, seen: monday10am.addingTimeInterval(-days(60)))
        let decision = decide([old])
        #expect(decision.rules(of: "mortgage_preapproval") == ["eligibility.min_confidence"])
        #expect(decision.offerIDs == []) // home_insurance needs 0.5 by default
    }

    @Test func feedback_startsACoolDown_andShowsInTheNextDecision() throws {
        let tags = [tag(.homePurchase, 0.9)]
        let rejected = decide(tags, contacts: [contact("mortgage_preapproval", .rejected, ago: days(10))])
        #expect(rejected.rules(of: "mortgage_preapproval") == ["feedback.rejected_cooldown"])
        #expect(rejected.suppression("mortgage_preapproval")?.reasons[0].messageZH.contains("冷却期至") == true)
        // After the 30 days, it comes back with the history in its reasons.
        let later = decide(tags, contacts: [contact("mortgage_preapproval", .rejected, ago: days(31))])
        let offer = try #require(later.offers.first)
        #expect(offer.offer.id == "mortgage_preapproval")
        #expect(offer.reasons.contains { if case .earlierFeedback(.rejected, _, _) = $0 { true } else { false } })
        #expect(decide(tags, contacts: [contact("mortgage_preapproval", .notRelevant, ago: days(60))]).rules(of: "mortgage_preapproval")
                == ["feedback.not_relevant_cooldown"])
        #expect(decide(tags, contacts: [contact("mortgage_preapproval", .accepted, ago: days(100))]).rules(of: "mortgage_preapproval")
                == ["feedback.accepted_cooldown"])
        // The latest feedback decides; a presentation alone starts no cool-down.
        let changedMind = decide(tags, contacts: [contact("mortgage_preapproval", .rejected, ago: days(100)),
                                                  contact("mortgage_preapproval", .accepted, ago: days(5))])
        #expect(changedMind.rules(of: "mortgage_preapproval") == ["feedback.accepted_cooldown"])
        #expect(decide(tags, contacts: [contact("mortgage_preapproval", .presented, ago: days(1))]).offerIDs.first == "mortgage_preapproval")
    }

    @Test func frequencyCaps_countHistoryInTheWindow_andOffersPlacedInTheDecision() {
        let home = [tag(.homePurchase, 0.9)]
        // same_offer_weekly: one SMS about this offer six days ago.
        let capped = decide(home, contacts: [contact("mortgage_preapproval", .presented, ago: days(6), channel: .sms)], channel: .sms)
        #expect(capped.rules(of: "mortgage_preapproval") == ["cap.same_offer_weekly"])
        #expect(capped.suppression("mortgage_preapproval")?.reasons[0].message == "frequency cap same_offer_weekly: 1 of 1 contacts in 7 days")
        // Eight days ago is outside the window.
        #expect(decide(home, contacts: [contact("mortgage_preapproval", .presented, ago: days(8), channel: .sms)], channel: .sms).offerIDs
                == ["mortgage_preapproval"])
        // A contact on the agent channel does not count for an SMS cap.
        #expect(decide(home, contacts: [contact("mortgage_preapproval", .presented, ago: days(1), channel: .agent)], channel: .sms).offerIDs
                == ["mortgage_preapproval"])
        // outbound_weekly: three outbound contacts this week about anything.
        let busy = (1...3).map { contact("large_cd", .presented, ago: days(Double($0)), channel: .phone) }
        #expect(decide(home, contacts: busy, channel: .sms).rules(of: "mortgage_preapproval") == ["cap.outbound_weekly"])
        // credit_monthly counts credit SMS contacts of other credit offers too.
        let credit = [contact("renovation_installment", .presented, ago: days(9), channel: .sms),
                      contact("renovation_installment", .presented, ago: days(20), channel: .sms)]
        #expect(decide(home, contacts: credit, channel: .sms).rules(of: "mortgage_preapproval") == ["cap.credit_monthly"])
    }

    @Test func mutualExclusions_andTheChannelLimit_holdLowerRankedOffers() throws {
        let tags = [tag(.homePurchase, 0.9), tag(.homeRenovation, 0.9), tag(.wealthGrowth, 0.9)]
        let agent = decide(tags, profile: profile(holds: ["payroll"]))
        #expect(agent.offerIDs == ["mortgage_preapproval", "renovation_installment", "large_cd"])
        #expect(agent.rules(of: "provident_combo_loan") == ["exclusion.one_home_loan"])
        #expect(agent.suppression("provident_combo_loan")?.reasons[0].message.contains("mortgage_preapproval ranks higher") == true)
        #expect(agent.rules(of: "home_insurance") == ["limit.max_offers_per_decision"])
        let sms = decide(tags, profile: profile(holds: ["payroll"]), channel: .sms)
        #expect(sms.offerIDs == ["mortgage_preapproval"])
        #expect(sms.rules(of: "renovation_installment") == ["limit.max_offers_per_decision"])
    }

    @Test func decisions_areDeterministic_givenTheClock() {
        let tags = [tag(.homePurchase, 0.7), tag(.wealthGrowth, 0.7), tag(.homeRenovation, 0.7)]
        let contacts = [contact("large_cd", .rejected, ago: days(40))]
        let first = decide(tags, contacts: contacts)
        for _ in 0..<20 { #expect(decide(tags, contacts: contacts.shuffled()) == first) }
        #expect(decide(tags.shuffled(), contacts: contacts) == first)
    }

    @Test func historyWindow_coversTheLongestCapOrCoolDown() {
        #expect(evaluator.historyWindow == days(180))
    }
}
