/// The classes of characters that normalisation, masking and segmentation
/// distinguish. Derived from ICU's general category and script properties.
public enum CharacterClass: UInt8, Sendable {
    case other = 0
    /// Han ideographs (the script ICU's CJK dictionary covers).
    case han
    /// Hiragana and katakana (segmented with the same dictionary as Han).
    case kana
    /// Letters of alphabetic scripts, and the marks that attach to them.
    case letter
    /// Decimal digits.
    case digit
    case whitespace
    case punctuation
    case symbol
    case emoji
    /// Zero-width, format and control characters: dropped by normalisation.
    case removed
}
