import Taxonomy

/// What a lexicon term tells later stages, written `category:value`
/// (`need:home_renovation`, `cue:negation`, `product:loan`, `typo:账户`).
public struct LexiconTag: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The categories a tag may have; the loader rejects any other.
    public enum Category: String, CaseIterable, Sendable, Codable {
        /// A bank product or banking term: `product:loan`, `product:relief`, …
        case product
        /// A cue for a latent need; the value is a need id from the taxonomy.
        case need
        /// A scope cue: negation, completion, cancel, hypothetical, third_person, linked_person, payer, future, past, urgency.
        case cue
        /// Internet slang with its polarity: negative, positive, neutral.
        case slang
        /// A strong affect word; the value is an emotion id from the taxonomy.
        case emotion
        /// A typo or homophone; the value is the correct form.
        case typo
        /// A general-language evaluative word (满意, 难吃, 性价比高): positive or negative.
        case polarity
        /// A cue for the customer's explicit ask; the value is an intent id from the taxonomy (闪退 → app_issue).
        case intent
    }

    public let category: Category
    public let value: String

    public init(category: Category, value: String) {
        self.category = category
        self.value = value
    }

    /// Parses `category:value`; nil when the category is unknown or the value empty.
    public init?(rawValue: String) {
        guard let colon = rawValue.firstIndex(of: ":"),
              let category = Category(rawValue: String(rawValue[..<colon])) else { return nil }
        let value = String(rawValue[rawValue.index(after: colon)...])
        guard !value.isEmpty else { return nil }
        self.init(category: category, value: value)
    }

    public var rawValue: String { "\(category.rawValue):\(value)" }
    public var description: String { rawValue }

    public static func < (lhs: LexiconTag, rhs: LexiconTag) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let tag = LexiconTag(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a lexicon tag: \(raw)"))
        }
        self = tag
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension LexiconTag {
    /// Allowed values for the categories with a closed set; `need` and
    /// `emotion` values come from the taxonomy, `product` and `typo` are open.
    static let closedValues: [Category: Set<String>] = [
        .need: Set(Need.allCases.map(\.rawValue)),
        .emotion: Set(Emotion.allCases.map(\.rawValue)),
        .intent: Set(Intent.allCases.map(\.rawValue)),
        .cue: ["negation", "completion", "cancel", "hypothetical", "third_person", "linked_person",
               "payer", "future", "past", "urgency"],
        .slang: ["negative", "positive", "neutral"],
        .polarity: ["negative", "positive"],
        .product: ["loan", "card", "deposit", "wealth", "insurance", "pension", "relief", "installment",
                   "service", "fx", "fee"],
    ]
}
