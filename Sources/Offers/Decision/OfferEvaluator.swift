import Foundation
import Profiles
import Taxonomy

/// Decides which offers to raise with a customer on a channel, and which to
/// hold back and why. Pure: the same `OfferContext` (profile, tags,
/// contacts, channel, time) always gives the same decision.
///
/// The rule, in order:
/// 1. **Candidates**: offers serving a need with an active, unexpired tag; the
///    tag with the highest decayed confidence speaks for the offer.
/// 2. **Gates**, all checked, every failure kept as a reason: hardship (an
///    active hardship tag blocks the kinds and offers `policies.yaml` names),
///    the offer's channels, marketing consent (kinds such as `relief` are
///    exempt), quiet hours in the customer's time zone, eligibility (age band,
///    segment, products held and not held, minimum confidence) and the
///    cool-down after earlier feedback.
/// 3. **Score** = priority / 100 × confidence, × the hardship boost for
///    promoted kinds; ranked by score, then priority, then id.
/// 4. **In rank order**: frequency caps (history in the rolling window plus
///    the offers already placed in this decision, so sending them all never
///    exceeds a cap), mutual exclusions and the per-channel limit.
public struct OfferEvaluator: Sendable {
    public let rules: OfferRules
    private let zones = TimeZoneCache()
    /// Per catalogue offer, what the hot loop asks, answered once.
    private let compiled: [CompiledOffer]
    private let needSlots: [Need: Int]
    private let hardshipSlot: Int

    public init(rules: OfferRules) {
        self.rules = rules
        var slots: [Need: Int] = [:]
        for (slot, need) in Need.allCases.enumerated() { slots[need] = slot }
        needSlots = slots
        hardshipSlot = slots[rules.policies.hardship.need]!
        let policies = rules.policies
        compiled = rules.catalogue.offers.map { offer in
            CompiledOffer(needSlots: offer.needs.map { slots[$0]! },
                          channels: Set(offer.channels),
                          hardshipRule: policies.hardship.blocksKinds.contains(offer.kind) ? .kind
                              : policies.hardship.blocksOffers.contains(offer.id) ? .offer : nil,
                          consentExempt: policies.consentExemptKinds.contains(offer.kind),
                          promoted: policies.hardship.promotesKinds.contains(offer.kind))
        }
    }

    struct CompiledOffer {
        enum HardshipRule { case kind, offer }
        let needSlots: [Int]
        let channelBits: UInt8
        let hardshipRule: HardshipRule?
        let consentExempt: Bool
        let promoted: Bool

        init(needSlots: [Int], channels: Set<ContactChannel>, hardshipRule: HardshipRule?, consentExempt: Bool, promoted: Bool) {
            self.needSlots = needSlots
            self.channelBits = channels.reduce(0) { $0 | CompiledOffer.bit($1) }
            self.hardshipRule = hardshipRule
            self.consentExempt = consentExempt
            self.promoted = promoted
        }

        static func bit(_ channel: ContactChannel) -> UInt8 {
            switch channel {
            case .agent: 1
            case .appPush: 2
            case .sms: 4
            case .phone: 8
            }
        }
    }

    /// How far back a decision looks at contacts: the longest cap window or
    /// cool-down. Callers load contacts since `now - historyWindow`.
    public var historyWindow: TimeInterval {
        let feedback = rules.policies.feedback
        let longest = max(rules.policies.frequencyCaps.map(\.windowDays).max() ?? 0,
                          feedback.rejectedDays, feedback.notRelevantDays, feedback.acceptedDays)
        return TimeInterval(longest) * 86_400
    }

    public func decide(_ context: OfferContext) -> OfferDecision {
        let policies = rules.policies
        let now = context.now
        let channel = context.channel
        let profile = context.profile

        var active = [(tag: NeedTag, confidence: Double)?](repeating: nil, count: needSlots.count)
        for tag in context.tags where tag.status == .active && tag.expiresAt > now {
            active[needSlots[tag.need]!] = (tag, tag.confidence(at: now))
        }
        let hardshipActive = active[hardshipSlot] != nil
        let channelBit = CompiledOffer.bit(channel)

        var quiet: (window: QuietWindow, minute: Int)?
        if let windows = policies.quietHours[channel], !windows.isEmpty {
            let minute = localMinute(of: now, in: profile.timezone)
            if let window = windows.first(where: { $0.contains(minute: minute) }) { quiet = (window, minute) }
        }
        let consented = profile.marketingConsent[channel] == true

        var lastFeedback: [String: OfferContact] = [:]
        for contact in context.contacts where contact.outcome != .presented && contact.at <= now {
            if let earlier = lastFeedback[contact.offerID], earlier.at > contact.at { continue }
            lastFeedback[contact.offerID] = contact
        }

        var candidates: [Candidate] = []
        var suppressed: [SuppressedOffer] = []
        for (index, offer) in rules.catalogue.offers.enumerated() {
            let facts = compiled[index]
            var served: (tag: NeedTag, confidence: Double)?
            for slot in facts.needSlots {
                if let entry = active[slot], entry.confidence > (served?.confidence ?? -1) { served = entry }
            }
            guard let served else { continue }
            var held: [SuppressionReason] = []
            if hardshipActive, let rule = facts.hardshipRule {
                switch rule {
                case .kind: held.append(SuppressionReason(rule: "hardship.blocked_kind", cause: .hardshipBlockedKind(offer.kind)))
                case .offer: held.append(SuppressionReason(rule: "hardship.blocked_offer", cause: .hardshipBlockedOffer))
                }
            }
            if facts.channelBits & channelBit == 0 {
                held.append(SuppressionReason(rule: "channel.not_offered", cause: .channelNotOffered(channel)))
            }
            if !consented && !facts.consentExempt {
                held.append(SuppressionReason(rule: "consent.marketing", cause: .noConsent(channel)))
            }
            if let quiet {
                held.append(SuppressionReason(rule: Self.quietRule(channel),
                                              cause: .quietHours(channel, window: quiet.window, localTime: quiet.minute, timezone: profile.timezone)))
            }
            Self.eligibilityFailures(offer.eligibility, profile: profile, need: served.tag.need, confidence: served.confidence, into: &held)
            if let feedback = lastFeedback[offer.id], let coolDown = policies.feedback.coolDown(after: feedback.outcome) {
                let until = feedback.at.addingTimeInterval(coolDown)
                if now < until {
                    held.append(SuppressionReason(rule: Self.coolDownRule(feedback.outcome), cause: .coolDown(feedback.outcome, at: feedback.at, until: until)))
                }
            }
            let boost = hardshipActive && facts.promoted ? policies.hardship.promoteBoost : 1
            let score = Double(offer.priority) / 100 * served.confidence * boost
            if held.isEmpty {
                candidates.append(Candidate(offer: offer, tag: served.tag, confidence: served.confidence, boost: boost, score: score))
            } else {
                suppressed.append(SuppressedOffer(offer: offer, score: score, reasons: held))
            }
        }

        candidates.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.offer.priority != b.offer.priority { return a.offer.priority > b.offer.priority }
            return a.offer.id < b.offer.id
        }
        let limit = policies.maxOffersPerDecision[channel]
        var chosen: [Offer] = []
        var ranked: [RankedOffer] = []
        for candidate in candidates {
            let offer = candidate.offer
            var held: [SuppressionReason] = []
            for cap in policies.frequencyCaps where cap.governs(channel: channel, kind: offer.kind) {
                let since = now.addingTimeInterval(-cap.window)
                var count = 0
                for contact in context.contacts where contact.at > since && contact.at <= now
                    && cap.counts(offerID: contact.offerID, kind: contact.kind, channel: contact.channel, against: offer) {
                    count += 1
                }
                for placed in chosen where cap.counts(offerID: placed.id, kind: placed.kind, channel: channel, against: offer) {
                    count += 1
                }
                if count >= cap.max { held.append(SuppressionReason(rule: cap.ruleID, cause: .capReached(cap, count: count))) }
            }
            for group in policies.mutualExclusions where group.offers.contains(offer.id) {
                if let winner = chosen.first(where: { group.offers.contains($0.id) }) {
                    held.append(SuppressionReason(rule: group.ruleID, cause: .excluded(group: group.id, by: winner.id)))
                }
            }
            if let limit, chosen.count >= limit {
                held.append(SuppressionReason(rule: "limit.max_offers_per_decision", cause: .decisionLimit(limit)))
            }
            guard held.isEmpty else {
                suppressed.append(SuppressedOffer(offer: offer, score: candidate.score, reasons: held))
                continue
            }
            chosen.append(offer)
            ranked.append(RankedOffer(offer: offer, rank: chosen.count, score: candidate.score,
                                      reasons: reasons(for: candidate, profile: profile, channel: channel, consented: consented,
                                                       feedback: lastFeedback[offer.id])))
        }
        suppressed.sort { a, b in a.score != b.score ? a.score > b.score : a.offer.id < b.offer.id }
        return OfferDecision(customerID: profile.customerID, channel: channel, decidedAt: now, hardshipActive: hardshipActive,
                             offers: ranked, suppressed: suppressed)
    }

    // MARK: - Pieces

    struct Candidate {
        let offer: Offer
        let tag: NeedTag
        let confidence: Double
        let boost: Double
        let score: Double
    }

    /// The minute of the day (0..<1440) at `date` in the customer's zone
    /// (an unknown zone falls back to Asia/Shanghai, the profiles' default).
    func localMinute(of date: Date, in identifier: String) -> Int {
        let zone = zones.zone(identifier)
        let seconds = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        let minute = Int((seconds / 60).rounded(.down)) % 1440
        return minute < 0 ? minute + 1440 : minute
    }

    static func eligibilityFailures(_ eligibility: Eligibility, profile: CustomerProfile, need: Need, confidence: Double,
                                    into held: inout [SuppressionReason]) {
        func fail(_ check: EligibilityCheck) { held.append(SuppressionReason(rule: check.rule, cause: .notEligible(check))) }
        if let allowed = eligibility.ageBands, !(profile.ageBand.map(allowed.contains) ?? false) {
            fail(.ageBand(actual: profile.ageBand, allowed: allowed))
        }
        if let allowed = eligibility.segments, !(profile.segment.map(allowed.contains) ?? false) {
            fail(.segment(actual: profile.segment, allowed: allowed))
        }
        if !eligibility.productsHeld.isEmpty {
            let missing = eligibility.productsHeld.filter { !profile.productsHeld.contains($0) }
            if !missing.isEmpty { fail(.holds(missing: missing, required: eligibility.productsHeld)) }
        }
        if !eligibility.productsNotHeld.isEmpty {
            let held = eligibility.productsNotHeld.filter { profile.productsHeld.contains($0) }
            if !held.isEmpty { fail(.doesNotHold(held: held, excluded: eligibility.productsNotHeld)) }
        }
        if confidence < eligibility.minConfidence {
            fail(.confidence(actual: confidence, minimum: eligibility.minConfidence, need: need))
        }
    }

    /// The reasons a ranked offer carries (built only for the few that rank).
    func reasons(for candidate: Candidate, profile: CustomerProfile, channel: ContactChannel, consented: Bool,
                 feedback: OfferContact?) -> [OfferReason] {
        let eligibility = candidate.offer.eligibility
        var evidence: [String] = []
        for observation in candidate.tag.provenance.reversed() {
            for span in observation.evidence where !evidence.contains(span.text) && evidence.count < 3 { evidence.append(span.text) }
        }
        var checks: [EligibilityCheck] = []
        if let allowed = eligibility.ageBands { checks.append(.ageBand(actual: profile.ageBand, allowed: allowed)) }
        if let allowed = eligibility.segments { checks.append(.segment(actual: profile.segment, allowed: allowed)) }
        if !eligibility.productsHeld.isEmpty { checks.append(.holds(missing: [], required: eligibility.productsHeld)) }
        if !eligibility.productsNotHeld.isEmpty { checks.append(.doesNotHold(held: [], excluded: eligibility.productsNotHeld)) }
        checks.append(.confidence(actual: candidate.confidence, minimum: eligibility.minConfidence, need: candidate.tag.need))
        let exempt = rules.policies.consentExemptKinds.contains(candidate.offer.kind) && !consented
        var reasons: [OfferReason] = [
            .need(candidate.tag.need, confidence: candidate.confidence, evidence: evidence, source: candidate.tag.provenance.last?.source),
            .eligible(checks),
            .consent(channel, exemptKind: exempt ? candidate.offer.kind : nil),
        ]
        if candidate.boost != 1 { reasons.append(.hardshipPromoted(boost: candidate.boost)) }
        if let feedback, let coolDown = rules.policies.feedback.coolDown(after: feedback.outcome) {
            reasons.append(.earlierFeedback(feedback.outcome, at: feedback.at, coolDownEnded: feedback.at.addingTimeInterval(coolDown)))
        }
        reasons.append(.score(priority: candidate.offer.priority, confidence: candidate.confidence, boost: candidate.boost, value: candidate.score))
        return reasons
    }

    static func quietRule(_ channel: ContactChannel) -> String {
        switch channel {
        case .agent: "quiet_hours.agent"
        case .appPush: "quiet_hours.app_push"
        case .sms: "quiet_hours.sms"
        case .phone: "quiet_hours.phone"
        }
    }

    static func coolDownRule(_ outcome: OfferOutcome) -> String {
        switch outcome {
        case .presented: "feedback.presented"
        case .accepted: "feedback.accepted_cooldown"
        case .rejected: "feedback.rejected_cooldown"
        case .notRelevant: "feedback.not_relevant_cooldown"
        }
    }
}

/// Time zones by identifier, built once each (building one is slow).
final class TimeZoneCache: @unchecked Sendable {
    private let lock = NSLock()
    private var zones: [String: TimeZone] = [:]

    func zone(_ identifier: String) -> TimeZone {
        lock.lock()
        defer { lock.unlock() }
        if let zone = zones[identifier] { return zone }
        let zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "Asia/Shanghai")!
        if zones.count < 1024 { zones[identifier] = zone }
        return zone
    }
}
