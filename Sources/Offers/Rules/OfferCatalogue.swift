import Foundation
import Profiles
import Taxonomy
import Yams

/// Who an offer may go to. Every condition is optional; an absent one lets
/// everybody through.
public struct Eligibility: Sendable, Equatable {
    /// Allowed age bands (`CustomerProfile.ageBand`), nil for any age.
    public let ageBands: Set<String>?
    /// Allowed segments (`CustomerProfile.segment`), nil for any segment.
    public let segments: Set<String>?
    /// Products the customer must hold, all of them.
    public let productsHeld: [String]
    /// Products the customer must not hold, none of them.
    public let productsNotHeld: [String]
    /// The least need-tag confidence (decayed to the decision's time).
    public let minConfidence: Double

    public static let defaultMinConfidence = 0.5

    public init(ageBands: Set<String>? = nil, segments: Set<String>? = nil, productsHeld: [String] = [],
                productsNotHeld: [String] = [], minConfidence: Double = Eligibility.defaultMinConfidence) {
        self.ageBands = ageBands
        self.segments = segments
        self.productsHeld = productsHeld
        self.productsNotHeld = productsNotHeld
        self.minConfidence = minConfidence
    }

    /// The age bands and segments profiles use.
    public static let knownAgeBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    public static let knownSegments = ["mass", "affluent", "private", "small_business"]
}

/// One product the bank can offer. A class: decisions pass offers around
/// by the thousand, and a reference is one retain where the fields are ten.
public final class Offer: Sendable, Equatable, Identifiable {
    public let id: String
    public let nameZH: String
    public let nameEN: String
    public let kind: OfferKind
    /// The needs it serves; a customer with an active tag on one of them is a candidate.
    public let needs: [Need]
    public let channels: Set<ContactChannel>
    /// 1–100, higher first; the score is priority × need confidence.
    public let priority: Int
    public let eligibility: Eligibility

    public init(id: String, nameZH: String, nameEN: String, kind: OfferKind, needs: [Need], channels: Set<ContactChannel>,
                priority: Int, eligibility: Eligibility = Eligibility()) {
        self.id = id
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.kind = kind
        self.needs = needs
        self.channels = channels
        self.priority = priority
        self.eligibility = eligibility
    }

    public static func == (a: Offer, b: Offer) -> Bool {
        a === b || (a.id == b.id && a.nameZH == b.nameZH && a.nameEN == b.nameEN && a.kind == b.kind && a.needs == b.needs
                    && a.channels == b.channels && a.priority == b.priority && a.eligibility == b.eligibility)
    }
}

/// The offer catalogue (`config/offers.yaml`): the products eligibility may
/// name, and the offers, in file order.
public struct OfferCatalogue: Sendable, Equatable {
    /// Product id → Chinese name.
    public let products: [String: String]
    public let offers: [Offer]
    private let index: [String: Int]

    public init(products: [String: String], offers: [Offer]) {
        self.products = products
        self.offers = offers
        var index: [String: Int] = [:]
        for (position, offer) in offers.enumerated() where index[offer.id] == nil { index[offer.id] = position }
        self.index = index
    }

    public func offer(id: String) -> Offer? {
        index[id].map { offers[$0] }
    }

    /// Reads `offers.yaml`, recording every problem in `document`; returns
    /// what could be read (check the document before using it).
    public static func read(_ document: ConfigDocument) -> OfferCatalogue {
        guard let root = document.root else { return OfferCatalogue(products: [:], offers: []) }
        let top = document.fields(root, at: "", allowed: ["products", "offers"], required: ["products", "offers"])
        var products: [String: String] = [:]
        if let mapping = document.mapping(top["products"], at: "products") {
            for (keyNode, value) in mapping {
                guard let id = document.identifier(keyNode, at: "products") else { continue }
                if products[id] != nil { document.problem("products.\(id)", keyNode, "listed twice (重复)") }
                products[id] = document.string(value, at: "products.\(id)") ?? id
            }
        }
        var offers: [Offer] = []
        var seen: Set<String> = []
        for (position, node) in (document.sequence(top["offers"], at: "offers") ?? []).enumerated() {
            guard let offer = readOffer(node, at: "offers[\(position)]", products: products, document: document) else { continue }
            if !seen.insert(offer.id).inserted {
                document.problem("offers[\(position)].id", node, "offer id \"\(offer.id)\" is used twice (报价编号重复)")
                continue
            }
            offers.append(offer)
        }
        if top["offers"] != nil && offers.isEmpty && document.problems.isEmpty {
            document.problem("offers", top["offers"], "the catalogue has no offers (目录为空)")
        }
        return OfferCatalogue(products: products, offers: offers)
    }

    /// Every offer id the file declares, valid or not (so that a mistake
    /// inside an offer does not also make policies naming it "unknown");
    /// nil when the file could not be read at all.
    public static func declaredIDs(in document: ConfigDocument) -> Set<String>? {
        guard let offers = document.root?["offers"]?.sequence else { return nil }
        return Set(offers.compactMap { $0.mapping?["id"]?.string })
    }

    static func readOffer(_ node: Node, at path: String, products: [String: String], document: ConfigDocument) -> Offer? {
        guard let mapping = document.mapping(node, at: path) else { return nil }
        let label = mapping["id"]?.string.map { "offers.\($0)" } ?? path
        let fields = document.fields(mapping, at: label,
                                     allowed: ["id", "name_zh", "name_en", "kind", "needs", "channels", "priority", "eligibility"],
                                     required: ["id", "name_zh", "name_en", "kind", "needs", "channels", "priority"])
        let id = document.identifier(fields["id"], at: "\(label).id")
        let nameZH = document.string(fields["name_zh"], at: "\(label).name_zh")
        let nameEN = document.string(fields["name_en"], at: "\(label).name_en")
        let kind = document.choice(fields["kind"], at: "\(label).kind", of: OfferKind.self)
        let needs = document.list(fields["needs"], at: "\(label).needs") { item, itemPath in
            document.choice(item, at: itemPath, of: Need.self)
        }
        if let list = fields["needs"]?.sequence, list.isEmpty { document.problem("\(label).needs", fields["needs"], "serves no need (至少一个需求)") }
        let channels = document.list(fields["channels"], at: "\(label).channels") { item, itemPath in
            document.choice(item, at: itemPath, of: ContactChannel.self)
        }
        if let list = fields["channels"]?.sequence, list.isEmpty { document.problem("\(label).channels", fields["channels"], "no channel (至少一个渠道)") }
        let priority = document.int(fields["priority"], at: "\(label).priority", in: 1...100)
        let eligibility = readEligibility(fields["eligibility"], at: "\(label).eligibility", products: products, document: document)
        guard let id, let nameZH, let nameEN, let kind, let needs, !needs.isEmpty, let channels, !channels.isEmpty,
              let priority, let eligibility else { return nil }
        return Offer(id: id, nameZH: nameZH, nameEN: nameEN, kind: kind, needs: needs, channels: Set(channels),
                     priority: priority, eligibility: eligibility)
    }

    static func readEligibility(_ node: Node?, at path: String, products: [String: String], document: ConfigDocument) -> Eligibility? {
        guard let node else { return Eligibility() }
        guard let mapping = document.mapping(node, at: path) else { return nil }
        let fields = document.fields(mapping, at: path,
                                     allowed: ["age_bands", "segments", "products_held", "products_not_held", "min_confidence"])
        let before = document.problems.count
        func known(_ choices: [String], what: String) -> (Node, String) -> String? {
            { item, itemPath in
                guard let value = document.string(item, at: itemPath) else { return nil }
                guard choices.contains(value) else {
                    document.problem(itemPath, item, "unknown \(what) \"\(value)\"; expected one of: \(choices.joined(separator: ", ")) (取值无效)")
                    return nil
                }
                return value
            }
        }
        let ageBands = document.list(fields["age_bands"], at: "\(path).age_bands",
                                     known(Eligibility.knownAgeBands, what: "age band"))
        let segments = document.list(fields["segments"], at: "\(path).segments",
                                     known(Eligibility.knownSegments, what: "segment"))
        let productIDs = products.keys.sorted()
        let held = document.list(fields["products_held"], at: "\(path).products_held",
                                 known(productIDs, what: "product (add it under products:)")) ?? []
        let notHeld = document.list(fields["products_not_held"], at: "\(path).products_not_held",
                                    known(productIDs, what: "product (add it under products:)")) ?? []
        let minConfidence = fields["min_confidence"].map { document.number($0, at: "\(path).min_confidence", in: 0...1) }
            ?? Eligibility.defaultMinConfidence
        for product in Set(held).intersection(notHeld) {
            document.problem("\(path).products_not_held", fields["products_not_held"], "\"\(product)\" is both required and excluded (条件矛盾)")
        }
        if fields["age_bands"]?.sequence?.isEmpty == true { document.problem("\(path).age_bands", fields["age_bands"], "empty: nobody could get the offer; remove the key to allow any age") }
        if fields["segments"]?.sequence?.isEmpty == true { document.problem("\(path).segments", fields["segments"], "empty: nobody could get the offer; remove the key to allow any segment") }
        guard document.problems.count == before, let minConfidence else { return nil }
        return Eligibility(ageBands: ageBands.map(Set.init), segments: segments.map(Set.init), productsHeld: held,
                           productsNotHeld: notHeld, minConfidence: minConfidence)
    }
}
