/// What a token is.
public enum TokenKind: String, Codable, Sendable {
    /// A word from ICU's CJK dictionary.
    case word
    /// A Han or kana character the dictionary does not know.
    case character
    /// A term from the domain lexicons (never split).
    case lexicon
    /// A sum of money (see `Amount`).
    case amount
    /// A masked PII placeholder such as `[手机号]`.
    case pii
    /// Digits that are not an amount (dates, codes, counts).
    case number
    /// Letters, possibly with digits (`app`, `vip`, `5g`).
    case alphanumeric
    case punctuation
    case symbol
    case emoji
    case other
}

/// One token of a segmented text.
public struct Token: Hashable, Sendable {
    /// The token's normalised (and masked) text.
    public let text: String
    /// Where it is in the normalised, masked text (UTF-16).
    public let span: TextSpan
    /// Where it came from in the original text (UTF-16).
    public let sourceSpan: TextSpan
    public let kind: TokenKind
    /// Lexicon tags, for `.lexicon` tokens.
    public let tags: [LexiconTag]
    /// The value, for `.amount` tokens.
    public let amount: Amount?
    /// The kind of masked value, for `.pii` tokens.
    public let pii: PIIKind?

    public init(text: String, span: TextSpan, sourceSpan: TextSpan, kind: TokenKind,
                tags: [LexiconTag] = [], amount: Amount? = nil, pii: PIIKind? = nil) {
        self.text = text
        self.span = span
        self.sourceSpan = sourceSpan
        self.kind = kind
        self.tags = tags
        self.amount = amount
        self.pii = pii
    }
}
