import Foundation
import Offers
import Profiles
import Taxonomy

/// Prints offer decisions for people (text) and programs (JSON).
enum DecisionPrinter {
    static func json(_ decision: OfferDecision) throws -> String {
        try CLIJSON.string(decision, pretty: true)
    }

    /// The decision as text; `explain` adds the context and every rule, and
    /// `only` narrows it to one offer.
    static func text(_ decision: OfferDecision, context: OfferContext, profileKnown: Bool, explain: Bool, only: String? = nil,
                     catalogue: OfferCatalogue? = nil) -> String {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        let profile = context.profile
        line("customer \(profile.customerID) · channel \(context.channel.rawValue) (\(context.channel.chineseName)) · \(localTime(context.now, profile.timezone)) \(profile.timezone)")
        if !profileKnown {
            line("note: no profile attributes were imported for this customer: no marketing consent, eligibility unknown")
            line("      (导入客户属性：xinsheng profiles import FILE)")
        }
        if decision.hardshipActive {
            line("hardship: active — new credit is blocked, relief comes first (资金困难：暂停授信营销，优先纾困)")
        }
        if explain {
            line()
            line("context (决策依据)")
            line("  age band \(profile.ageBand ?? "unknown") · segment \(profile.segment ?? "unknown") · holds \(profile.productsHeld.isEmpty ? "nothing recorded" : profile.productsHeld.joined(separator: ", "))")
            let consent = ContactChannel.allCases.map { "\($0.rawValue) \(profile.marketingConsent[$0] == true ? "yes" : "no")" }
            line("  marketing consent: \(consent.joined(separator: ", "))")
            let tags = context.tags.sorted { $0.need.rawValue < $1.need.rawValue }
            if tags.isEmpty { line("  need-tags: none") }
            for tag in tags {
                let state = tag.status == .active && tag.expiresAt <= context.now ? "past expiry" : tag.status.rawValue
                line("  need-tag \(tag.need.rawValue) (\(tag.need.chineseName)): \(state), confidence \(DecisionText.decimal(tag.confidence(at: context.now))) now"
                     + " (\(DecisionText.decimal(tag.confidence)) when last seen \(DecisionText.day(tag.lastSeen)), expires \(DecisionText.day(tag.expiresAt)))")
            }
            line("  contacts in the look-back window: \(context.contacts.count)")
            for contact in context.contacts.suffix(10) {
                line("    \(DecisionText.day(contact.at)) \(contact.offerID) \(contact.outcome.rawValue) on \(contact.channel.rawValue)")
            }
        }
        let offers = decision.offers.filter { only == nil || $0.offer.id == only }
        let suppressed = decision.suppressed.filter { only == nil || $0.offer.id == only }
        line()
        line("offers (推荐) — \(offers.count)")
        if offers.isEmpty { line("  none") }
        for ranked in offers {
            line("  \(ranked.rank). \(ranked.offer.id)  \(ranked.offer.nameZH) / \(ranked.offer.nameEN)  [\(ranked.offer.kind.rawValue)]  score \(DecisionText.decimal(ranked.score))")
            for reason in ranked.reasons where explain || reason.rule != "eligibility" {
                line("     · \(reason.messageZH)")
                line("       \(reason.message)  [\(reason.rule)]")
            }
        }
        line()
        line("suppressed (未推荐) — \(suppressed.count)")
        if suppressed.isEmpty { line("  none") }
        for held in suppressed {
            line("  - \(held.offer.id)  \(held.offer.nameZH) / \(held.offer.nameEN)  [\(held.offer.kind.rawValue)]")
            for reason in explain ? held.reasons : Array(held.reasons.prefix(1)) {
                line("     · \(reason.rule): \(reason.messageZH)")
                line("       \(reason.message)")
            }
            if !explain && held.reasons.count > 1 { line("     (+\(held.reasons.count - 1) more: xinsheng offers explain)") }
        }
        if explain, let catalogue {
            let listed = Set(decision.offers.map(\.offer.id) + decision.suppressed.map(\.offer.id))
            let others = catalogue.offers.filter { !listed.contains($0.id) && (only == nil || $0.id == only) }
            line()
            line("not candidates (无相关需求) — \(others.count)")
            for offer in others {
                line("  - \(offer.id)  \(offer.nameZH): no active need-tag for \(offer.needs.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return out
    }


    static func localTime(_ date: Date, _ zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
