import Foundation
import Profiles
import Taxonomy

/// The catalogue and the contact policies, read and validated together
/// (policies name offers of the catalogue).
public struct OfferRules: Sendable, Equatable {
    public let catalogue: OfferCatalogue
    public let policies: ContactPolicies

    public init(catalogue: OfferCatalogue, policies: ContactPolicies) {
        self.catalogue = catalogue
        self.policies = policies
    }

    /// Reads `offers.yaml` and `policies.yaml` from a config directory.
    /// - Throws: `OfferRulesError` with every problem of both files.
    public static func load(directory: URL) throws(OfferRulesError) -> OfferRules {
        try read(offers: ConfigDocument(contentsOf: directory.appendingPathComponent("offers.yaml")),
                 policies: ConfigDocument(contentsOf: directory.appendingPathComponent("policies.yaml")))
    }

    /// Parses both files from text (tests, tools).
    public static func parse(offers: String, policies: String) throws(OfferRulesError) -> OfferRules {
        try read(offers: ConfigDocument(yaml: offers, file: "offers.yaml"), policies: ConfigDocument(yaml: policies, file: "policies.yaml"))
    }

    static func read(offers: ConfigDocument, policies: ConfigDocument) throws(OfferRulesError) -> OfferRules {
        let catalogue = OfferCatalogue.read(offers)
        let contactPolicies = ContactPolicies.read(policies, knownOffers: OfferCatalogue.declaredIDs(in: offers))
        if offers.problems.isEmpty {
            let served = Set(catalogue.offers.flatMap(\.needs))
            for need in Need.allCases where !served.contains(need) {
                offers.problem("offers", offers.root?["offers"], "no offer serves the need \(need.rawValue) (\(need.chineseName)); every need needs one (每个需求至少一个报价)")
            }
            for offer in catalogue.offers where offer.needs.contains(contactPolicies.hardship.need)
                && contactPolicies.hardship.blocksKinds.contains(offer.kind) {
                offers.problem("offers.\(offer.id).kind", nil, "serves \(contactPolicies.hardship.need.rawValue) but its kind \(offer.kind.rawValue) is blocked during hardship (困难客户报价不能是被屏蔽的类型)")
            }
        }
        let errors = [offers.error, policies.error].compactMap { $0 }
        guard errors.isEmpty else { throw OfferRulesError(files: errors) }
        return OfferRules(catalogue: catalogue, policies: contactPolicies)
    }
}

/// Every problem of the offer configuration, per file.
public struct OfferRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    public let files: [ConfigurationError]

    public var problems: [ConfigurationError.Problem] { files.flatMap(\.problems) }

    public var description: String {
        files.map(\.description).joined(separator: "\n")
    }
}
