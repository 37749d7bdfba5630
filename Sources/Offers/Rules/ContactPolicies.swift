import Foundation
import Profiles
import Taxonomy
import Yams

/// What an active hardship tag does to offers.
public struct HardshipPolicy: Sendable, Equatable {
    /// The need whose active tag means hardship (`financial_hardship`).
    public let need: Need
    public let blocksKinds: Set<OfferKind>
    public let blocksOffers: Set<String>
    public let promotesKinds: Set<OfferKind>
    /// Score multiplier for promoted kinds, > 1.
    public let promoteBoost: Double

    public init(need: Need = .financialHardship, blocksKinds: Set<OfferKind> = [.credit], blocksOffers: Set<String> = [],
                promotesKinds: Set<OfferKind> = [.relief], promoteBoost: Double = 2) {
        self.need = need
        self.blocksKinds = blocksKinds
        self.blocksOffers = blocksOffers
        self.promotesKinds = promotesKinds
        self.promoteBoost = promoteBoost
    }
}

/// A time of day window, `HH:MM-HH:MM` in the customer's local time; it may
/// cross midnight (`21:00-08:00`). The end is excluded.
public struct QuietWindow: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight.
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM` (24-hour clock, `24:00` allowed as an end).
    public init?(_ text: String) {
        let parts = text.replacingOccurrences(of: " ", with: "").split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.minutes(parts[0], allowing24: false), let end = Self.minutes(parts[1], allowing24: true),
              start != end else { return nil }
        self.init(start: start, end: end)
    }

    static func minutes(_ text: Substring, allowing24: Bool) -> Int? {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
              let hours = Int(pieces[0]), let minutes = Int(pieces[1]), (0...59).contains(minutes) else { return nil }
        if hours == 24 && minutes == 0 && allowing24 { return 1440 }
        return (0...23).contains(hours) ? hours * 60 + minutes : nil
    }

    /// Whether a local minute of the day (0..<1440) falls inside.
    public func contains(minute: Int) -> Bool {
        start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
    }

    /// The minutes of the day the window covers, as ranges inside 0..<1440.
    var ranges: [Range<Int>] {
        start < end ? [start..<end] : [start..<1440, 0..<end].filter { !$0.isEmpty }
    }

    public func overlaps(_ other: QuietWindow) -> Bool {
        ranges.contains { mine in other.ranges.contains { mine.overlaps($0) } }
    }

    public var description: String {
        String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }
}

/// A limit on contacts over a rolling window.
public struct FrequencyCap: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable {
        /// Contacts about the same offer.
        case offer
        /// Contacts about offers of the same kind.
        case kind
        /// All the customer's contacts.
        case customer
    }

    public let id: String
    public let scope: Scope
    public let max: Int
    public let windowDays: Int
    /// Only decisions and contacts on these channels; nil for all.
    public let channels: Set<ContactChannel>?
    /// Only offers and contacts of these kinds; nil for all.
    public let kinds: Set<OfferKind>?
    /// `cap.<id>`, the rule id suppressions carry.
    public let ruleID: String

    public init(id: String, scope: Scope, max: Int, windowDays: Int, channels: Set<ContactChannel>? = nil, kinds: Set<OfferKind>? = nil) {
        self.id = id
        self.scope = scope
        self.max = max
        self.windowDays = windowDays
        self.channels = channels
        self.kinds = kinds
        self.ruleID = "cap.\(id)"
    }

    public var window: TimeInterval { TimeInterval(windowDays) * 86_400 }

    /// Whether the cap governs a decision on `channel` about an offer of `kind`.
    public func governs(channel: ContactChannel, kind: OfferKind) -> Bool {
        (channels?.contains(channel) ?? true) && (kinds?.contains(kind) ?? true)
    }

    /// Whether a past contact (or an offer already placed in this decision)
    /// counts against this cap for `offer`.
    public func counts(offerID: String, kind: OfferKind, channel: ContactChannel, against offer: Offer) -> Bool {
        guard governs(channel: channel, kind: kind) else { return false }
        switch scope {
        case .offer: return offerID == offer.id
        case .kind: return kind == offer.kind
        case .customer: return true
        }
    }
}

/// Cool-downs after an agent's feedback.
public struct FeedbackPolicy: Sendable, Equatable {
    public let rejectedDays: Int
    public let notRelevantDays: Int
    public let acceptedDays: Int

    public init(rejectedDays: Int = 30, notRelevantDays: Int = 90, acceptedDays: Int = 180) {
        self.rejectedDays = rejectedDays
        self.notRelevantDays = notRelevantDays
        self.acceptedDays = acceptedDays
    }

    /// The cool-down after `outcome`; nil for a plain presentation.
    public func coolDown(after outcome: OfferOutcome) -> TimeInterval? {
        switch outcome {
        case .presented: nil
        case .rejected: TimeInterval(rejectedDays) * 86_400
        case .notRelevant: TimeInterval(notRelevantDays) * 86_400
        case .accepted: TimeInterval(acceptedDays) * 86_400
        }
    }
}

/// At most one offer of the group in a decision (the best ranked).
public struct MutualExclusion: Sendable, Equatable {
    public let id: String
    public let offers: Set<String>
    /// `exclusion.<id>`.
    public let ruleID: String

    public init(id: String, offers: Set<String>) {
        self.id = id
        self.offers = offers
        self.ruleID = "exclusion.\(id)"
    }
}

/// The contact policies (`config/policies.yaml`).
public struct ContactPolicies: Sendable, Equatable {
    public let hardship: HardshipPolicy
    /// Kinds that are service rather than marketing: no marketing consent needed.
    public let consentExemptKinds: Set<OfferKind>
    /// Windows with no contact, per outbound channel, in the customer's time zone.
    public let quietHours: [ContactChannel: [QuietWindow]]
    public let frequencyCaps: [FrequencyCap]
    public let feedback: FeedbackPolicy
    public let mutualExclusions: [MutualExclusion]
    /// The most offers one decision returns per channel (absent: no limit).
    public let maxOffersPerDecision: [ContactChannel: Int]

    public init(hardship: HardshipPolicy = HardshipPolicy(), consentExemptKinds: Set<OfferKind> = [.relief, .service],
                quietHours: [ContactChannel: [QuietWindow]] = [:], frequencyCaps: [FrequencyCap] = [],
                feedback: FeedbackPolicy = FeedbackPolicy(), mutualExclusions: [MutualExclusion] = [],
                maxOffersPerDecision: [ContactChannel: Int] = [:]) {
        self.hardship = hardship
        self.consentExemptKinds = consentExemptKinds
        self.quietHours = quietHours
        self.frequencyCaps = frequencyCaps
        self.feedback = feedback
        self.mutualExclusions = mutualExclusions
        self.maxOffersPerDecision = maxOffersPerDecision
    }

    /// Reads `policies.yaml`, recording every problem in `document`; offer
    /// ids are checked against `knownOffers` (nil: not checked).
    public static func read(_ document: ConfigDocument, knownOffers: Set<String>?) -> ContactPolicies {
        guard let root = document.root else { return ContactPolicies() }
        let top = document.fields(root, at: "", allowed: ["hardship", "consent", "quiet_hours", "frequency_caps", "feedback",
                                                          "mutual_exclusions", "max_offers_per_decision"],
                                  required: ["hardship", "consent"])
        func offerID(_ item: Node, _ path: String) -> String? {
            guard let id = document.string(item, at: path) else { return nil }
            guard knownOffers?.contains(id) ?? true else {
                document.problem(path, item, "unknown offer \"\(id)\" (not in offers.yaml; 报价目录中没有此报价)")
                return nil
            }
            return id
        }
        func kinds(_ node: Node?, _ path: String) -> Set<OfferKind>? {
            document.list(node, at: path) { item, itemPath in document.choice(item, at: itemPath, of: OfferKind.self) }.map(Set.init)
        }
        func channels(_ node: Node?, _ path: String) -> Set<ContactChannel>? {
            document.list(node, at: path) { item, itemPath in document.choice(item, at: itemPath, of: ContactChannel.self) }.map(Set.init)
        }

        var hardship = HardshipPolicy()
        if let mapping = document.mapping(top["hardship"], at: "hardship") {
            let fields = document.fields(mapping, at: "hardship", allowed: ["need", "blocks_kinds", "blocks_offers", "promotes_kinds", "promote_boost"],
                                         required: ["need", "blocks_kinds"])
            let need = document.choice(fields["need"], at: "hardship.need", of: Need.self)
            let blocks = kinds(fields["blocks_kinds"], "hardship.blocks_kinds")
            let blockedOffers = document.list(fields["blocks_offers"], at: "hardship.blocks_offers", offerID)
            let promotes = kinds(fields["promotes_kinds"], "hardship.promotes_kinds")
            let boost = fields["promote_boost"].map { document.number($0, at: "hardship.promote_boost", in: 1...10) } ?? 1
            if let blocks, let promotes, !blocks.isDisjoint(with: promotes) {
                document.problem("hardship.promotes_kinds", fields["promotes_kinds"], "a kind cannot be both blocked and promoted (既屏蔽又推荐)")
            }
            if let blocks, !blocks.contains(.credit) {
                document.problem("hardship.blocks_kinds", fields["blocks_kinds"], "must block credit: no new credit while a customer is in hardship (资金困难客户不得营销授信)")
            }
            if let need, let blocks, let boost {
                hardship = HardshipPolicy(need: need, blocksKinds: blocks, blocksOffers: Set(blockedOffers ?? []),
                                          promotesKinds: promotes ?? [], promoteBoost: boost)
            }
        }

        var exempt: Set<OfferKind> = [.relief, .service]
        if let mapping = document.mapping(top["consent"], at: "consent") {
            let fields = document.fields(mapping, at: "consent", allowed: ["exempt_kinds"], required: ["exempt_kinds"])
            if let kinds = kinds(fields["exempt_kinds"], "consent.exempt_kinds") {
                exempt = kinds
                for kind in kinds where [.credit, .wealth, .insurance, .deposit].contains(kind) {
                    document.problem("consent.exempt_kinds", fields["exempt_kinds"], "\(kind.rawValue) is marketing and always needs consent (营销类产品必须征得同意)")
                }
            }
        }

        var quiet: [ContactChannel: [QuietWindow]] = [:]
        if let mapping = document.mapping(top["quiet_hours"], at: "quiet_hours") {
            for (keyNode, value) in mapping {
                let path = "quiet_hours.\(keyNode.string ?? "")"
                guard let channel = document.choice(keyNode, at: path, of: ContactChannel.self) else { continue }
                let items: [Node] = value.sequence.map(Array.init) ?? [value]
                var windows: [QuietWindow] = []
                for (index, item) in items.enumerated() {
                    let itemPath = value.sequence == nil ? path : "\(path)[\(index)]"
                    guard let text = document.string(item, at: itemPath) else { continue }
                    guard let window = QuietWindow(text) else {
                        document.problem(itemPath, item, "\"\(text)\" is not a window: write HH:MM-HH:MM on a 24-hour clock, start ≠ end, e.g. \"21:00-08:00\" (时间段格式错误)")
                        continue
                    }
                    if let other = windows.first(where: { $0.overlaps(window) }) {
                        document.problem(itemPath, item, "\(window) overlaps \(other): merge them into one window (时间段重叠)")
                        continue
                    }
                    windows.append(window)
                }
                quiet[channel] = windows
            }
        }

        var caps: [FrequencyCap] = []
        for (index, node) in (document.sequence(top["frequency_caps"], at: "frequency_caps") ?? []).enumerated() {
            guard let mapping = document.mapping(node, at: "frequency_caps[\(index)]") else { continue }
            let label = mapping["id"]?.string.map { "frequency_caps.\($0)" } ?? "frequency_caps[\(index)]"
            let fields = document.fields(mapping, at: label, allowed: ["id", "per", "max", "window_days", "channels", "kinds"],
                                         required: ["id", "per", "max", "window_days"])
            let id = document.identifier(fields["id"], at: "\(label).id")
            let scope = document.choice(fields["per"], at: "\(label).per", of: FrequencyCap.Scope.self)
            let max = document.int(fields["max"], at: "\(label).max", in: 0...10_000)
            let window = document.int(fields["window_days"], at: "\(label).window_days", in: 1...365)
            let capChannels = channels(fields["channels"], "\(label).channels")
            let capKinds = kinds(fields["kinds"], "\(label).kinds")
            if let id, caps.contains(where: { $0.id == id }) { document.problem("\(label).id", fields["id"], "cap id used twice (编号重复)") }
            guard let id, let scope, let max, let window else { continue }
            caps.append(FrequencyCap(id: id, scope: scope, max: max, windowDays: window, channels: capChannels, kinds: capKinds))
        }

        var feedback = FeedbackPolicy()
        if let mapping = document.mapping(top["feedback"], at: "feedback") {
            let fields = document.fields(mapping, at: "feedback",
                                         allowed: ["rejected_cooldown_days", "not_relevant_cooldown_days", "accepted_cooldown_days"],
                                         required: ["rejected_cooldown_days", "not_relevant_cooldown_days", "accepted_cooldown_days"])
            let rejected = document.int(fields["rejected_cooldown_days"], at: "feedback.rejected_cooldown_days", in: 0...3650)
            let notRelevant = document.int(fields["not_relevant_cooldown_days"], at: "feedback.not_relevant_cooldown_days", in: 0...3650)
            let accepted = document.int(fields["accepted_cooldown_days"], at: "feedback.accepted_cooldown_days", in: 0...3650)
            if let rejected, let notRelevant, let accepted {
                feedback = FeedbackPolicy(rejectedDays: rejected, notRelevantDays: notRelevant, acceptedDays: accepted)
            }
        }

        var exclusions: [MutualExclusion] = []
        for (index, node) in (document.sequence(top["mutual_exclusions"], at: "mutual_exclusions") ?? []).enumerated() {
            guard let mapping = document.mapping(node, at: "mutual_exclusions[\(index)]") else { continue }
            let label = mapping["id"]?.string.map { "mutual_exclusions.\($0)" } ?? "mutual_exclusions[\(index)]"
            let fields = document.fields(mapping, at: label, allowed: ["id", "offers"], required: ["id", "offers"])
            let id = document.identifier(fields["id"], at: "\(label).id")
            let offers = document.list(fields["offers"], at: "\(label).offers", offerID)
            if let listed = fields["offers"]?.sequence, Set(listed.compactMap(\.string)).count < 2 {
                document.problem("\(label).offers", fields["offers"], "a group needs at least two different offers (至少两个报价)")
            }
            guard let id, let offers, Set(offers).count >= 2 else { continue }
            exclusions.append(MutualExclusion(id: id, offers: Set(offers)))
        }

        var limits: [ContactChannel: Int] = [:]
        if let mapping = document.mapping(top["max_offers_per_decision"], at: "max_offers_per_decision") {
            for (keyNode, value) in mapping {
                let path = "max_offers_per_decision.\(keyNode.string ?? "")"
                guard let channel = document.choice(keyNode, at: path, of: ContactChannel.self),
                      let limit = document.int(value, at: path, in: 1...50) else { continue }
                limits[channel] = limit
            }
        }

        return ContactPolicies(hardship: hardship, consentExemptKinds: exempt, quietHours: quiet, frequencyCaps: caps,
                               feedback: feedback, mutualExclusions: exclusions, maxOffersPerDecision: limits)
    }
}
