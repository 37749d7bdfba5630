import Foundation
import Profiles
import Taxonomy

/// Everything a decision looks at: the customer's profile, tags and contact
/// history, the channel, and the time. Nothing else is read, so the same
/// context always gives the same decision.
public struct OfferContext: Sendable {
    public let profile: CustomerProfile
    public let tags: [NeedTag]
    /// Contacts inside the longest window the policies look back over (older ones are ignored).
    public let contacts: [OfferContact]
    public let channel: ContactChannel
    public let now: Date

    public init(profile: CustomerProfile, tags: [NeedTag], contacts: [OfferContact], channel: ContactChannel, now: Date) {
        self.profile = profile
        self.tags = tags
        self.contacts = contacts
        self.channel = channel
        self.now = now
    }
}

/// One condition of an offer's eligibility, as the customer met or missed it.
public enum EligibilityCheck: Sendable, Equatable {
    case ageBand(actual: String?, allowed: Set<String>)
    case segment(actual: String?, allowed: Set<String>)
    case holds(missing: [String], required: [String])
    case doesNotHold(held: [String], excluded: [String])
    case confidence(actual: Double, minimum: Double, need: Need)

    /// The rule id, `eligibility.<condition>`.
    public var rule: String {
        switch self {
        case .ageBand: "eligibility.age_band"
        case .segment: "eligibility.segment"
        case .holds: "eligibility.products_held"
        case .doesNotHold: "eligibility.products_not_held"
        case .confidence: "eligibility.min_confidence"
        }
    }

    public var message: String {
        switch self {
        case .ageBand(let actual, let allowed): "age band \(actual ?? "unknown") \(actual.map(allowed.contains) == true ? "is" : "is not") one of \(allowed.sorted().joined(separator: ", "))"
        case .segment(let actual, let allowed): "segment \(actual ?? "unknown") \(actual.map(allowed.contains) == true ? "is" : "is not") one of \(allowed.sorted().joined(separator: ", "))"
        case .holds(let missing, let required): missing.isEmpty ? "holds \(required.joined(separator: ", "))" : "does not hold \(missing.joined(separator: ", "))"
        case .doesNotHold(let held, let excluded): held.isEmpty ? "holds none of \(excluded.joined(separator: ", "))" : "already holds \(held.joined(separator: ", "))"
        case .confidence(let actual, let minimum, let need): "\(need.rawValue) confidence \(DecisionText.decimal(actual)) \(actual >= minimum ? "≥" : "<") \(DecisionText.decimal(minimum))"
        }
    }

    public var messageZH: String {
        switch self {
        case .ageBand(let actual, let allowed): "年龄段 \(actual ?? "未知")\(actual.map(allowed.contains) == true ? "在" : "不在")允许范围（\(allowed.sorted().joined(separator: "、"))）内"
        case .segment(let actual, let allowed): "客群 \(actual ?? "未知")\(actual.map(allowed.contains) == true ? "在" : "不在")允许范围（\(allowed.sorted().joined(separator: "、"))）内"
        case .holds(let missing, let required): missing.isEmpty ? "已持有 \(required.joined(separator: "、"))" : "未持有 \(missing.joined(separator: "、"))"
        case .doesNotHold(let held, let excluded): held.isEmpty ? "未持有 \(excluded.joined(separator: "、"))" : "已持有 \(held.joined(separator: "、"))"
        case .confidence(let actual, let minimum, let need): "\(need.chineseName)需求置信度 \(DecisionText.decimal(actual)) \(actual >= minimum ? "≥" : "<") \(DecisionText.decimal(minimum))"
        }
    }

}

/// Why an offer is on the list.
public enum OfferReason: Sendable, Equatable {
    /// The need-tag it serves, with the evidence behind it.
    case need(Need, confidence: Double, evidence: [String], source: TagSource?)
    /// The eligibility conditions it met.
    case eligible([EligibilityCheck])
    /// Marketing consent on the channel, or a kind that needs none.
    case consent(ContactChannel, exemptKind: OfferKind?)
    /// Promoted while hardship is active.
    case hardshipPromoted(boost: Double)
    /// The last feedback on this offer; its cool-down has ended.
    case earlierFeedback(OfferOutcome, at: Date, coolDownEnded: Date)
    /// How the score was made.
    case score(priority: Int, confidence: Double, boost: Double, value: Double)

    public var rule: String {
        switch self {
        case .need: "need.active"
        case .eligible: "eligibility"
        case .consent(_, let exempt): exempt == nil ? "consent.marketing" : "consent.exempt_kind"
        case .hardshipPromoted: "hardship.promoted_kind"
        case .earlierFeedback: "feedback.history"
        case .score: "score"
        }
    }

    public var message: String {
        switch self {
        case .need(let need, let confidence, let evidence, let source):
            "active need \(need.rawValue), confidence \(DecisionText.decimal(confidence))"
                + (evidence.isEmpty ? "" : ", evidence 「\(evidence.joined(separator: "」「"))」") + (source.map { " (\(Self.describe($0)))" } ?? "")
        case .eligible(let checks): "eligible: " + (checks.isEmpty ? "no conditions" : checks.map(\.message).joined(separator: "; "))
        case .consent(let channel, let exempt):
            exempt.map { "\($0.rawValue) offers need no marketing consent" } ?? "marketing consent given for \(channel.rawValue)"
        case .hardshipPromoted(let boost): "promoted while financial hardship is active (×\(DecisionText.decimal(boost)))"
        case .earlierFeedback(let outcome, let at, let ended):
            "\(outcome.rawValue.replacingOccurrences(of: "_", with: " ")) on \(DecisionText.day(at)); cool-down ended \(DecisionText.day(ended))"
        case .score(let priority, let confidence, let boost, let value):
            "score \(DecisionText.decimal(value)) = priority \(priority)/100 × confidence \(DecisionText.decimal(confidence))"
                + (boost == 1 ? "" : " × \(DecisionText.decimal(boost))")
        }
    }

    public var messageZH: String {
        switch self {
        case .need(let need, let confidence, let evidence, _):
            "客户有\(need.chineseName)需求，置信度 \(DecisionText.decimal(confidence))" + (evidence.isEmpty ? "" : "，依据「\(evidence.joined(separator: "」「"))」")
        case .eligible(let checks): "符合条件：" + (checks.isEmpty ? "无限制" : checks.map(\.messageZH).joined(separator: "；"))
        case .consent(_, let exempt): exempt == nil ? "客户已同意该渠道的营销联系" : "服务类报价，无需营销同意"
        case .hardshipPromoted(let boost): "客户处于资金困难期，优先推荐纾困方案（×\(DecisionText.decimal(boost))）"
        case .earlierFeedback(let outcome, let at, let ended): "\(DecisionText.day(at)) 反馈为「\(outcome.chineseName)」，冷却期已于 \(DecisionText.day(ended)) 结束"
        case .score(let priority, let confidence, let boost, let value):
            "得分 \(DecisionText.decimal(value)) = 优先级 \(priority)/100 × 置信度 \(DecisionText.decimal(confidence))" + (boost == 1 ? "" : " × \(DecisionText.decimal(boost))")
        }
    }

    static func describe(_ source: TagSource) -> String {
        switch source {
        case .conversation(let id, let turn): "conversation \(id) turn \(turn)"
        case .archive(let file, let line): "\(file) line \(line)"
        }
    }

}

/// How reasons write numbers and days (and how printers of decisions should).
public enum DecisionText {
    /// Two decimals: `0.75`.
    public static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The UTC calendar day: `2026-11-23`.
    public static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}

extension OfferOutcome {
    public var chineseName: String {
        switch self {
        case .presented: "已推送"
        case .accepted: "接受"
        case .rejected: "拒绝"
        case .notRelevant: "不相关"
        }
    }
}

/// Why an offer was held back: a rule id and its cause.
public struct SuppressionReason: Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        case hardshipBlockedKind(OfferKind)
        case hardshipBlockedOffer
        case channelNotOffered(ContactChannel)
        case noConsent(ContactChannel)
        case quietHours(ContactChannel, window: QuietWindow, localTime: Int, timezone: String)
        case notEligible(EligibilityCheck)
        case coolDown(OfferOutcome, at: Date, until: Date)
        case capReached(FrequencyCap, count: Int)
        case excluded(group: String, by: String)
        case decisionLimit(Int)
    }

    /// The broad reason, for counting: `hardship`, `no_consent`,
    /// `quiet_hours`, `not_eligible`, `cool_down`, `cap_reached`, `excluded`, `limit`.
    public enum Category: String, Sendable, CaseIterable {
        case hardship
        case noConsent = "no_consent"
        case quietHours = "quiet_hours"
        case notEligible = "not_eligible"
        case coolDown = "cool_down"
        case capReached = "cap_reached"
        case excluded
        case limit
    }

    public let rule: String
    public let cause: Cause

    public init(rule: String, cause: Cause) {
        self.rule = rule
        self.cause = cause
    }

    public var category: Category {
        switch cause {
        case .hardshipBlockedKind, .hardshipBlockedOffer: .hardship
        case .noConsent: .noConsent
        case .quietHours: .quietHours
        case .channelNotOffered, .notEligible: .notEligible
        case .coolDown: .coolDown
        case .capReached: .capReached
        case .excluded: .excluded
        case .decisionLimit: .limit
        }
    }

    public var message: String {
        switch cause {
        case .hardshipBlockedKind(let kind): "no \(kind.rawValue) offers while financial hardship is active"
        case .hardshipBlockedOffer: "this offer is held back while financial hardship is active"
        case .channelNotOffered(let channel): "not offered on \(channel.rawValue)"
        case .noConsent(let channel): "no marketing consent for \(channel.rawValue)"
        case .quietHours(let channel, let window, let minute, let timezone):
            "quiet hours \(window) on \(channel.rawValue); it is \(Self.clock(minute)) in \(timezone)"
        case .notEligible(let check): "not eligible: \(check.message)"
        case .coolDown(let outcome, let at, let until):
            "\(outcome.rawValue.replacingOccurrences(of: "_", with: " ")) on \(DecisionText.day(at)); cool-down until \(DecisionText.day(until))"
        case .capReached(let cap, let count):
            "frequency cap \(cap.id): \(count) of \(cap.max) contacts in \(cap.windowDays) days"
        case .excluded(let group, let by): "only one offer of \(group) per decision; \(by) ranks higher"
        case .decisionLimit(let limit): "the channel shows at most \(limit) offers per decision"
        }
    }

    public var messageZH: String {
        switch cause {
        case .hardshipBlockedKind: "客户处于资金困难期，暂停一切新增授信营销"
        case .hardshipBlockedOffer: "客户处于资金困难期，暂不推荐此产品"
        case .channelNotOffered(let channel): "该产品不通过\(channel.chineseName)渠道推荐"
        case .noConsent(let channel): "客户未同意\(channel.chineseName)渠道的营销联系"
        case .quietHours(let channel, let window, let minute, _): "\(channel.chineseName)免打扰时段 \(window)，客户当地时间 \(Self.clock(minute))"
        case .notEligible(let check): "不符合条件：\(check.messageZH)"
        case .coolDown(let outcome, let at, let until): "\(DecisionText.day(at)) 反馈为「\(outcome.chineseName)」，冷却期至 \(DecisionText.day(until))"
        case .capReached(let cap, let count): "已达频次上限 \(cap.id)：\(cap.windowDays) 天内已联系 \(count) 次（上限 \(cap.max) 次）"
        case .excluded(let group, let by): "与排名更高的 \(by) 互斥（\(group)）"
        case .decisionLimit(let limit): "该渠道每次最多推荐 \(limit) 个产品"
        }
    }

    static func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
}

extension ContactChannel {
    public var chineseName: String {
        switch self {
        case .agent: "坐席"
        case .appPush: "APP推送"
        case .sms: "短信"
        case .phone: "电话"
        }
    }
}

/// An offer worth raising, in rank order.
public struct RankedOffer: Sendable, Equatable {
    public let offer: Offer
    public let rank: Int
    public let score: Double
    public let reasons: [OfferReason]
}

/// An offer held back, with every rule that held it (the first is the main one).
public struct SuppressedOffer: Sendable, Equatable {
    public let offer: Offer
    /// What the offer would have scored.
    public let score: Double
    /// Never empty.
    public let reasons: [SuppressionReason]
}

/// The outcome of one decision.
public struct OfferDecision: Sendable, Equatable {
    public let customerID: String
    public let channel: ContactChannel
    public let decidedAt: Date
    /// An active hardship tag is on the profile.
    public let hardshipActive: Bool
    public let offers: [RankedOffer]
    public let suppressed: [SuppressedOffer]
}
