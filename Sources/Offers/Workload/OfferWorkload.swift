import Foundation
import Profiles
import Taxonomy

/// Random but reproducible decision contexts (profiles, tags, contact
/// histories, channels and clocks) over a rule set: the property tests'
/// input and `xinsheng bench offers`' workload. Seeded, so a run replays.
public struct OfferWorkload {
    public static let timeZones = ["Asia/Shanghai", "Asia/Hong_Kong", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"]

    public let rules: OfferRules
    /// The middle of the year of clocks drawn.
    public let around: Date
    private var random: SplitMix64

    public init(rules: OfferRules, seed: UInt64, around: Date = Date(timeIntervalSince1970: 1_795_399_200)) {
        self.rules = rules
        self.around = around
        self.random = SplitMix64(seed: seed)
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next(upTo: UInt64(items.count)))] }

    /// One context: a profile with random attributes and consent, about a
    /// third of the needs tagged (hardship more often), up to 13 contacts
    /// over 200 days, a random channel, a random minute of the year.
    public mutating func nextContext() -> OfferContext {
        let year = 365.0 * 86_400
        let now = around.addingTimeInterval(Double(random.next(upTo: UInt64(year))) - year / 2)
        let products = rules.catalogue.products.keys.sorted()
        var consent: [ContactChannel: Bool] = [:]
        for channel in ContactChannel.allCases {
            let roll = random.next(upTo: 5)
            if roll < 4 { consent[channel] = roll < 3 }
        }
        let ageBand: String? = random.next(upTo: 8) == 0 ? nil : pick(Eligibility.knownAgeBands)
        let segment: String? = random.next(upTo: 8) == 0 ? nil : pick(Eligibility.knownSegments)
        let held = products.filter { _ in random.next(upTo: 5) == 0 }
        let profile = CustomerProfile(tenant: "bench", customerID: "c-1", ageBand: ageBand, segment: segment, productsHeld: held,
                                      marketingConsent: consent, timezone: pick(Self.timeZones))
        var tags: [NeedTag] = []
        for need in Need.allCases where random.next(upTo: need == rules.policies.hardship.need ? 3 : 4) == 0 {
            let seen = now.addingTimeInterval(-Double(random.next(upTo: 100 * 86_400)))
            let status = pick([TagStatus.active, .active, .active, .withdrawn, .expired])
            let ttl = Double(30 + random.next(upTo: 300)) * 86_400
            tags.append(NeedTag(tenant: "bench", customerID: "c-1", need: need, confidence: Double(40 + random.next(upTo: 61)) / 100,
                                status: status, firstSeen: seen, lastSeen: seen, expiresAt: seen.addingTimeInterval(ttl),
                                provenance: [Provenance(source: .conversation(id: "conv-\(random.next(upTo: 1000))", turn: 2),
                                                        evidence: [MaskedEvidence(start: 0, end: 2, text: need.chineseName)],
                                                        modelVersion: "bench", lexiconVersion: "bench", observedAt: seen)]))
        }
        var contacts: [OfferContact] = []
        for index in 0..<Int(random.next(upTo: 14)) {
            let offer = pick(rules.catalogue.offers)
            contacts.append(OfferContact(tenant: "bench", customerID: "c-1", offerID: offer.id, kind: offer.kind,
                                         channel: pick(ContactChannel.allCases), outcome: pick(OfferOutcome.allCases),
                                         at: now.addingTimeInterval(-Double(random.next(upTo: 200 * 86_400))), key: "k\(index)"))
        }
        contacts.sort { $0.at < $1.at }
        return OfferContext(profile: profile, tags: tags, contacts: contacts, channel: pick(ContactChannel.allCases), now: now)
    }
}

/// A small seeded generator (SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A whole number in `0..<bound` (0 when bound is 0).
    public mutating func next(upTo bound: UInt64) -> UInt64 { next() % max(bound, 1) }
}
