import Foundation
import Testing
@testable import Offers
import Profiles
import Taxonomy

/// Properties that must hold for every profile, history, channel and time:
/// thousands of random ones (seeded, so a failure replays), checked against
/// the raw inputs rather than the evaluator's own bookkeeping.
@Suite struct OfferPropertyTests {
    static let ruleSets: [(String, OfferRules)] = [("shipped config/", shippedRules), ("unit-test rulebook", Rulebook.rules)]

    @Test(arguments: [0, 1])
    func harmfulOffers_neverReachACustomer(ruleSet: Int) {
        let (name, rules) = Self.ruleSets[ruleSet]
        let evaluator = OfferEvaluator(rules: rules)
        var workload = OfferWorkload(rules: rules, seed: 0x5eed_0ff3 + UInt64(ruleSet), around: monday10am)
        var hardshipCases = 0, quietCases = 0, offered = 0, reliefOffered = 0
        for trial in 0..<4_000 {
            let context = workload.nextContext()
            let decision = evaluator.decide(context)
            let label = "\(name) trial \(trial)"
            offered += decision.offers.count

            // 1. No blocked kind (credit) while a hardship tag is active.
            let hardship = context.tags.contains { $0.need == rules.policies.hardship.need && $0.status == .active && $0.expiresAt > context.now }
            if hardship {
                hardshipCases += 1
                reliefOffered += decision.offers.filter { $0.offer.kind == .relief }.count
                for ranked in decision.offers {
                    #expect(ranked.offer.kind != .credit, "\(label): credit offer \(ranked.offer.id) during hardship")
                    #expect(!rules.policies.hardship.blocksKinds.contains(ranked.offer.kind), "\(label)")
                    #expect(!rules.policies.hardship.blocksOffers.contains(ranked.offer.id), "\(label)")
                }
            }
            // 2. No marketing offer on a channel without consent.
            for ranked in decision.offers where context.profile.marketingConsent[context.channel] != true {
                #expect(rules.policies.consentExemptKinds.contains(ranked.offer.kind), "\(label): \(ranked.offer.id) without consent")
            }
            // 3. Nothing in quiet hours (local time computed independently, through Calendar).
            if let windows = rules.policies.quietHours[context.channel] {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: context.profile.timezone)!
                let parts = calendar.dateComponents([.hour, .minute], from: context.now)
                let minute = parts.hour! * 60 + parts.minute!
                if windows.contains(where: { $0.contains(minute: minute) }) {
                    quietCases += 1
                    #expect(decision.offers.isEmpty, "\(label): offers at \(minute / 60):\(minute % 60) local on \(context.channel)")
                }
            }
            // 4. Caps: history in the window plus everything offered now stays within each cap.
            for cap in rules.policies.frequencyCaps {
                for ranked in decision.offers where cap.governs(channel: context.channel, kind: ranked.offer.kind) {
                    let since = context.now.addingTimeInterval(-cap.window)
                    let history = context.contacts.filter { $0.at > since && $0.at <= context.now
                        && cap.counts(offerID: $0.offerID, kind: $0.kind, channel: $0.channel, against: ranked.offer) }.count
                    let now = decision.offers.filter { cap.counts(offerID: $0.offer.id, kind: $0.offer.kind, channel: context.channel, against: ranked.offer) }.count
                    #expect(history + now <= cap.max, "\(label): cap \(cap.id) exceeded by \(ranked.offer.id)")
                }
            }
            // 5. Every suppressed offer carries a rule id and both messages.
            for held in decision.suppressed {
                #expect(!held.reasons.isEmpty, "\(label): \(held.offer.id) suppressed without a reason")
                for reason in held.reasons {
                    #expect(reason.rule.range(of: "^[a-z_]+\\.[a-z0-9_.]+$", options: .regularExpression) != nil, "\(label): rule \(reason.rule)")
                    #expect(!reason.message.isEmpty && !reason.messageZH.isEmpty)
                }
            }
            // 6. Limits, exclusions, cool-downs, and no offer twice.
            if let limit = rules.policies.maxOffersPerDecision[context.channel] { #expect(decision.offers.count <= limit, "\(label)") }
            for group in rules.policies.mutualExclusions {
                #expect(decision.offers.filter { group.offers.contains($0.offer.id) }.count <= 1, "\(label): group \(group.id)")
            }
            for ranked in decision.offers {
                let blocking = context.contacts.filter { $0.offerID == ranked.offer.id && $0.outcome != .presented && $0.at <= context.now }
                    .max { $0.at < $1.at }
                if let blocking, let coolDown = rules.policies.feedback.coolDown(after: blocking.outcome) {
                    #expect(context.now >= blocking.at.addingTimeInterval(coolDown), "\(label): \(ranked.offer.id) inside its cool-down")
                }
                #expect(ranked.offer.channels.contains(context.channel), "\(label)")
            }
            let every = decision.offers.map(\.offer.id) + decision.suppressed.map(\.offer.id)
            #expect(Set(every).count == every.count, "\(label): an offer listed twice")
        }
        // The generator must actually reach the risky situations.
        #expect(hardshipCases > 500 && quietCases > 200 && offered > 600 && reliefOffered > 100,
                "hardship \(hardshipCases), quiet \(quietCases), offered \(offered), relief during hardship \(reliefOffered)")
    }

    /// Sending everything each decision offers, again and again, never
    /// breaks a cap in any window.
    @Test(arguments: [0, 1])
    func sendingEveryOffer_repeatedly_neverExceedsACap(ruleSet: Int) {
        let (_, rules) = Self.ruleSets[ruleSet]
        let evaluator = OfferEvaluator(rules: rules)
        var workload = OfferWorkload(rules: rules, seed: 0xca95 + UInt64(ruleSet), around: monday10am)
        var random = SplitMix64(seed: 0xca95 + UInt64(ruleSet))
        var sent = 0
        for customer in 0..<150 {
            let base = workload.nextContext()
            let profile = CustomerProfile(tenant: "bank-a", customerID: "c-1", ageBand: base.profile.ageBand, segment: base.profile.segment,
                                          productsHeld: base.profile.productsHeld,
                                          marketingConsent: [.agent: true, .sms: true, .phone: true, .appPush: true], timezone: base.profile.timezone)
            let tags = Need.allCases.filter { $0 != rules.policies.hardship.need }.map {
                tag($0, 0.95, seen: base.now.addingTimeInterval(-days(1)), ttlDays: 365)
            }
            var contacts: [OfferContact] = []
            var now = base.now
            for step in 0..<60 {
                now = now.addingTimeInterval(Double(random.next(upTo: 36 * 3600)))
                let channel: ContactChannel = [.sms, .phone, .appPush].randomElement(using: &random)!
                let decision = evaluator.decide(OfferContext(profile: profile, tags: tags, contacts: contacts, channel: channel, now: now))
                for ranked in decision.offers {
                    contacts.append(OfferContact(tenant: "bank-a", customerID: "c-1", offerID: ranked.offer.id, kind: ranked.offer.kind,
                                                 channel: channel, outcome: .presented, at: now, key: "\(customer)-\(step)-\(ranked.offer.id)"))
                    sent += 1
                }
                // Check every cap over the window ending at each contact.
                for cap in rules.policies.frequencyCaps {
                    for anchor in contacts where anchor.at == now {
                        guard let offer = rules.catalogue.offer(id: anchor.offerID), cap.governs(channel: anchor.channel, kind: anchor.kind) else { continue }
                        let since = now.addingTimeInterval(-cap.window)
                        let count = contacts.filter { $0.at > since && cap.counts(offerID: $0.offerID, kind: $0.kind, channel: $0.channel, against: offer) }.count
                        #expect(count <= cap.max, "customer \(customer) step \(step): cap \(cap.id) at \(count) of \(cap.max)")
                    }
                }
            }
        }
        #expect(sent > 300, "the simulation sent only \(sent) offers")
    }
}
