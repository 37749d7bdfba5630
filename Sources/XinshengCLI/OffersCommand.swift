import ArgumentParser
import Foundation
import Offers
import Profiles
import Taxonomy

extension ContactChannel: ExpressibleByArgument {}
extension OfferOutcome: ExpressibleByArgument {}

struct OffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "Next-best offers for a customer: suggest, explain, and record agent feedback.",
        discussion: """
        A decision reads the customer's active need-tags, profile attributes,
        consent and contact history from the profile store, and the rules in
        config/offers.yaml and config/policies.yaml. It ranks the offers worth
        raising (with the need-tag, evidence and rules behind each) and lists
        the offers held back, each with a rule id and a reason in Chinese and
        English: hardship, no consent, quiet hours, cap reached, cool-down,
        not eligible.

        Examples:
          xinsheng offers suggest --customer c-1001
          xinsheng offers suggest --customer c-1001 --channel sms --at 2026-11-23T22:30:00+08:00
          xinsheng offers explain --customer c-1001 --offer mortgage_preapproval
          xinsheng offers feedback --customer c-1001 --offer large_cd --outcome rejected
        """,
        subcommands: [OffersSuggestCommand.self, OffersExplainCommand.self, OffersFeedbackCommand.self]
    )
}

/// What every offers command needs: the customer, the channel, the clock,
/// the rules and the store.
struct OfferDecisionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The customer id.", valueName: "id"))
    var customer: String

    @Option(name: .long, help: ArgumentHelp("Channel the offers would go through: agent, app_push, sms or phone.", valueName: "channel"))
    var channel: ContactChannel = .agent

    @Option(name: .long, help: ArgumentHelp("Decide as of this time (ISO 8601, e.g. 2026-11-23T22:30:00+08:00).",
                                            discussion: "Default: now.", valueName: "time"))
    var at: Timestamp?

    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !customer.isEmpty else { throw ValidationError("--customer must not be empty") }
    }

    var now: Date { at?.date ?? Date() }

    /// Loads the rules and the customer's context, decides.
    func decide() async throws -> (decision: OfferDecision, context: OfferContext, rules: OfferRules, profiles: any ProfileStore, known: Bool) {
        let rules = try config.loadOfferRules()
        let profiles = try await store.openStore()
        let evaluator = OfferEvaluator(rules: rules)
        let now = self.now
        let stored = try await profiles.profile(tenant: store.tenant, customerID: customer)
        let profile = stored ?? CustomerProfile(tenant: store.tenant, customerID: customer)
        let tags = try await profiles.tags(tenant: store.tenant, customerID: customer)
        let contacts = try await profiles.contacts(tenant: store.tenant, customerID: customer, since: now.addingTimeInterval(-evaluator.historyWindow))
        let context = OfferContext(profile: profile, tags: tags, contacts: contacts, channel: channel, now: now)
        return (evaluator.decide(context), context, rules, profiles, stored != nil)
    }
}

struct OffersSuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Print the offers worth raising with a customer, with reasons, and the suppressed ones.",
        discussion: """
        With --record, each offer printed is recorded as presented on the
        channel (for outbound campaigns): frequency caps count it from then on.

        Examples:
          xinsheng offers suggest --customer c-1001
          xinsheng offers suggest --customer c-1001 --channel sms --record
          xinsheng offers suggest --customer c-1001 --format json
        """
    )

    @OptionGroup var options: OfferDecisionOptions

    @Option(name: .long, help: ArgumentHelp("auto (text on a terminal, JSON otherwise), text or json.", valueName: "format"))
    var format: OutputFormat = .auto

    @Flag(name: .long, help: "Record the printed offers as presented on the channel.")
    var record = false

    func run() async throws {
        let (decision, context, _, profiles, known) = try await options.decide()
        if record {
            for ranked in decision.offers {
                let contact = OfferContact(tenant: context.profile.tenant, customerID: context.profile.customerID, offerID: ranked.offer.id,
                                           kind: ranked.offer.kind, channel: context.channel, outcome: .presented, at: context.now,
                                           key: "presented:\(context.profile.customerID):\(ranked.offer.id):\(context.channel.rawValue):\(StoredJSON.millis(context.now))")
                _ = try await profiles.recordContact(contact)
            }
        }
        if format.isJSON(jsonlInput: false) {
            print(try DecisionPrinter.json(decision))
        } else {
            print(DecisionPrinter.text(decision, context: context, profileKnown: known, explain: false), terminator: "")
        }
    }
}

struct OffersExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a decision in full: the customer's context, every rule each offer met or missed.",
        discussion: """
        Prints what the decision looked at (profile attributes, consent, active
        need-tags with their decayed confidence, recent contacts), then every
        offer of the catalogue: raised (all reasons), held back (every rule
        that held it), or not a candidate (no active need it serves).

        Examples:
          xinsheng offers explain --customer c-1001
          xinsheng offers explain --customer c-1001 --offer mortgage_preapproval --channel phone
        """
    )

    @OptionGroup var options: OfferDecisionOptions

    @Option(name: .long, help: ArgumentHelp("Explain only this offer.", valueName: "offer-id"))
    var offer: String?

    @Option(name: .long, help: ArgumentHelp("auto (text on a terminal, JSON otherwise), text or json.", valueName: "format"))
    var format: OutputFormat = .auto

    func run() async throws {
        let (decision, context, rules, _, known) = try await options.decide()
        if let offer, rules.catalogue.offer(id: offer) == nil {
            throw ValidationError("--offer \(offer) is not in offers.yaml (报价目录中没有此报价)")
        }
        if format.isJSON(jsonlInput: false) {
            print(try DecisionPrinter.json(decision))
        } else {
            print(DecisionPrinter.text(decision, context: context, profileKnown: known, explain: true, only: offer, catalogue: rules.catalogue),
                  terminator: "")
        }
    }
}

struct OffersFeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Record an agent's feedback on an offer: accepted, rejected or not_relevant.",
        discussion: """
        Feedback is a contact: frequency caps count it, and it starts the
        cool-down set in config/policies.yaml (feedback:), during which the
        offer is not suggested again. The next decision shows it in its reasons.
        Pass --key to make a retried call record once (the service uses the
        request's idempotency key).

        Examples:
          xinsheng offers feedback --customer c-1001 --offer large_cd --outcome rejected
          xinsheng offers feedback --customer c-1001 --offer repayment_deferral --outcome accepted --channel phone --key call-8812
        """
    )

    @Option(name: .long, help: ArgumentHelp("The customer id.", valueName: "id"))
    var customer: String

    @Option(name: .long, help: ArgumentHelp("The offer id (offers.yaml).", valueName: "offer-id"))
    var offer: String

    @Option(name: .long, help: ArgumentHelp("accepted, rejected, not_relevant (or presented).", valueName: "outcome"))
    var outcome: OfferOutcome

    @Option(name: .long, help: ArgumentHelp("Channel the offer was raised on.", valueName: "channel"))
    var channel: ContactChannel = .agent

    @Option(name: .long, help: ArgumentHelp("When (ISO 8601).", discussion: "Default: now.", valueName: "time"))
    var at: Timestamp?

    @Option(name: .long, help: ArgumentHelp("Idempotency key.", discussion: "Default: customer, offer, channel and time.", valueName: "key"))
    var key: String?

    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let rules = try config.loadOfferRules()
        guard let known = rules.catalogue.offer(id: offer) else {
            throw ValidationError("--offer \(offer) is not in offers.yaml (报价目录中没有此报价)")
        }
        let when = at?.date ?? Date()
        let contact = OfferContact(tenant: store.tenant, customerID: customer, offerID: offer, kind: known.kind, channel: channel,
                                   outcome: outcome, at: when,
                                   key: key ?? "feedback:\(customer):\(offer):\(channel.rawValue):\(StoredJSON.millis(when))")
        let profiles = try await store.openStore()
        let recorded = try await profiles.recordContact(contact)
        print(recorded ? "recorded: \(offer) \(outcome.rawValue) by \(customer) on \(channel.rawValue) (已记录)"
                       : "already recorded under key \(contact.key); nothing changed (已记录过)")
    }
}
