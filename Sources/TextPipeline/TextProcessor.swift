import Foundation

/// The text foundation of Xinsheng: turns what a customer wrote into
/// normalised, PII-masked, segmented text that keeps every offset back to
/// the original.
///
/// Order matters: normalise (so full-width digits and Traditional characters
/// look like everything else), mask (before anything is logged, stored or
/// classified), then segment the masked text (so placeholders are tokens and
/// no PII digits reach a feature).
public struct TextProcessor: Sendable {
    public let normalizer: TextNormalizer
    public let masker: PIIMasker
    public let segmenter: LexiconSegmenter
    public let limits: TextLimits

    public init(lexicon: Lexicon, normalizer: TextNormalizer = TextNormalizer(), masker: PIIMasker = PIIMasker(),
                limits: TextLimits = TextLimits()) {
        self.normalizer = normalizer
        self.masker = masker
        self.segmenter = LexiconSegmenter(lexicon: lexicon)
        self.limits = limits
    }

    /// The versions of every stage, recorded with results so they can be reproduced.
    public var versions: [String: String] {
        [
            "normalizer": TextNormalizer.version,
            "masker": PIIMasker.version,
            "segmenter": LexiconSegmenter.version,
            "lexicon": segmenter.lexicon.fingerprint,
        ]
    }

    /// Checks a text against the input limits.
    /// - Throws: `TextInputError` when the text is empty or too long.
    public func validate(_ text: String) throws {
        if text.utf16.count > limits.maxUTF16Length {
            throw TextInputError.tooLong(length: text.utf16.count, limit: limits.maxUTF16Length)
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || CharacterTable.classify($0.value) == .removed }) {
            throw TextInputError.empty
        }
    }

    /// Normalises, masks and segments a text (validate it first).
    public func process(_ text: String) -> ProcessedText {
        let normalized = normalizer.normalize(text)
        let masked = masker.mask(normalized)
        let tokens = segmenter.segment(masked)
        return ProcessedText(normalized: normalized, masked: masked, tokens: tokens)
    }
}

/// The result of `TextProcessor.process`.
public struct ProcessedText: Sendable {
    /// The normalised text, aligned to the original (contains PII: never log or store it).
    public let normalized: AlignedText
    /// The normalised text with PII replaced by placeholders, aligned to the original.
    public let masked: MaskedText
    /// Tokens of the masked text.
    public let tokens: [Token]

    /// The text as the customer wrote it (contains PII: never log or store it).
    public var original: String { normalized.original }
    /// The masked text: safe to log and store.
    public var maskedText: String { masked.text.text }
}

/// Limits on one text.
public struct TextLimits: Sendable {
    /// Longest accepted text, in UTF-16 units. Default 20,000: far above any
    /// chat turn or review, far below the 1 MB lines a broken export produces.
    public var maxUTF16Length: Int

    public init(maxUTF16Length: Int = 20_000) {
        self.maxUTF16Length = maxUTF16Length
    }
}

/// Why a text was refused. Messages name sizes, never the text.
public enum TextInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(length: Int, limit: Int)
    case invalidUTF8(byteOffset: Int)

    public var code: String {
        switch self {
        case .empty: "input.empty_text"
        case .tooLong: "input.text_too_long"
        case .invalidUTF8: "input.invalid_utf8"
        }
    }

    public var description: String {
        switch self {
        case .empty: "the text is empty (or only whitespace)"
        case .tooLong(let length, let limit): "the text is \(length) UTF-16 units long; the limit is \(limit)"
        case .invalidUTF8(let offset): "the text is not valid UTF-8 (first bad byte at offset \(offset))"
        }
    }

    /// The message in Chinese, for edges that show it to people.
    public var chineseDescription: String {
        switch self {
        case .empty: "文本为空（或只有空白字符）"
        case .tooLong(let length, let limit): "文本长度 \(length) 超过上限 \(limit)（UTF-16 单位）"
        case .invalidUTF8(let offset): "文本不是合法的 UTF-8（第一个错误字节位于偏移 \(offset)）"
        }
    }
}
