import Foundation
@testable import Offers
import Profiles
import Taxonomy

let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The rules shipped in config/.
let shippedRules: OfferRules = try! OfferRules.load(directory: packageRoot.appendingPathComponent("config"))

/// A fixed clock: Monday 2026-11-23 10:00 in Shanghai (02:00 UTC).
let monday10am = ISO8601DateFormatter().date(from: "2026-11-23T02:00:00Z")!

func days(_ count: Double) -> TimeInterval { count * 86_400 }
func hours(_ count: Double) -> TimeInterval { count * 3_600 }

/// A small catalogue and policy set whose every rule the unit tests pin down.
enum Rulebook {
    static let offers = """
    version: 1
    products:
      mortgage: 房贷
      credit_card: 信用卡
      payroll: 代发工资
    offers:
      - id: mortgage_preapproval
        name_zh: 房贷预审
        name_en: Mortgage pre-approval
        kind: credit
        needs: [home_purchase]
        channels: [agent, sms, phone]
        priority: 80
        eligibility:
          age_bands: ["25-34", "35-44"]
          segments: [mass, affluent]
          products_not_held: [mortgage]
          min_confidence: 0.6
      - id: provident_combo_loan
        name_zh: 公积金组合贷
        name_en: Provident-fund combination loan
        kind: credit
        needs: [home_purchase]
        channels: [agent, sms]
        priority: 70
        eligibility:
          products_held: [payroll]
      - id: home_insurance
        name_zh: 家财险
        name_en: Home insurance
        kind: insurance
        needs: [home_purchase, home_renovation]
        channels: [agent, app_push, sms]
        priority: 40
      - id: large_cd
        name_zh: 大额存单
        name_en: Large certificate of deposit
        kind: deposit
        needs: [wealth_growth, retirement, tax_planning, education, car_purchase, health_protection, travel_overseas, business_funding, family_milestone]
        channels: [agent, app_push, sms, phone]
        priority: 50
      - id: repayment_deferral
        name_zh: 延期还款
        name_en: Repayment deferral
        kind: relief
        needs: [financial_hardship]
        channels: [agent, phone]
        priority: 60
        eligibility:
          min_confidence: 0.3
      - id: renovation_installment
        name_zh: 装修分期
        name_en: Renovation instalments
        kind: credit
        needs: [home_renovation]
        channels: [agent, sms]
        priority: 75
    """

    static let policies = """
    version: 1
    hardship:
      need: financial_hardship
      blocks_kinds: [credit]
      blocks_offers: [home_insurance]
      promotes_kinds: [relief]
      promote_boost: 2.0
    consent:
      exempt_kinds: [relief, service]
    quiet_hours:
      sms: "21:00-08:00"
      phone: ["12:00-13:30", "20:30-09:00"]
    frequency_caps:
      - id: same_offer_weekly
        per: offer
        max: 1
        window_days: 7
        channels: [sms, phone, app_push]
      - id: credit_monthly
        per: kind
        max: 2
        window_days: 30
        kinds: [credit]
        channels: [sms]
      - id: outbound_weekly
        per: customer
        max: 3
        window_days: 7
        channels: [sms, phone, app_push]
    feedback:
      rejected_cooldown_days: 30
      not_relevant_cooldown_days: 90
      accepted_cooldown_days: 180
    mutual_exclusions:
      - id: one_home_loan
        offers: [mortgage_preapproval, provident_combo_loan]
    max_offers_per_decision:
      agent: 3
      sms: 1
    """

    static let rules: OfferRules = try! OfferRules.parse(offers: offers, policies: policies)
    static let evaluator = OfferEvaluator(rules: rules)
}

func tag(_ need: Need, _ confidence: Double, customer: String = "c-1", seen: Date = monday10am, ttlDays: Double = 90,
         status: TagStatus = .active, evidence: String = "证据") -> NeedTag {
    NeedTag(tenant: "bank-a", customerID: customer, need: need, confidence: confidence, status: status,
            firstSeen: seen, lastSeen: seen, expiresAt: seen.addingTimeInterval(days(ttlDays)),
            provenance: [Provenance(source: .conversation(id: "conv-1", turn: 3),
                                    evidence: [MaskedEvidence(start: 0, end: evidence.utf16.count, text: evidence)],
                                    modelVersion: "m", lexiconVersion: "l", observedAt: seen)])
}

func profile(age: String? = "25-34", segment: String? = "mass", holds: [String] = [],
             consent: [ContactChannel: Bool] = [.agent: true, .sms: true, .phone: true, .appPush: true],
             timezone: String = "Asia/Shanghai") -> CustomerProfile {
    CustomerProfile(tenant: "bank-a", customerID: "c-1", ageBand: age, segment: segment, productsHeld: holds,
                    marketingConsent: consent, timezone: timezone)
}

func contact(_ offer: String, _ outcome: OfferOutcome, ago: TimeInterval, channel: ContactChannel = .agent,
             rules: OfferRules = Rulebook.rules, key: String = UUID().uuidString) -> OfferContact {
    OfferContact(tenant: "bank-a", customerID: "c-1", offerID: offer, kind: rules.catalogue.offer(id: offer)!.kind,
                 channel: channel, outcome: outcome, at: monday10am.addingTimeInterval(-ago), key: key)
}

extension OfferDecision {
    var offerIDs: [String] { offers.map(\.offer.id) }
    func suppression(_ id: String) -> SuppressedOffer? { suppressed.first { $0.offer.id == id } }
    func rules(of id: String) -> [String] { suppression(id)?.reasons.map(\.rule) ?? [] }
}
