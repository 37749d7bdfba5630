import CICU

/// ICU's CJK word dictionary (the one ICU's word break iterator uses),
/// opened read-only. Safe to share between threads: every lookup walks the
/// shared read-only trie with its own cursor.
public final class WordDictionary: @unchecked Sendable {
    /// Cost ICU gives a character no dictionary word covers (its `maxSnlp`).
    public static let unknownCharacterCost: Int32 = 255
    /// Longest word looked up.
    public static let maxWordLength = 16

    private let pointer: OpaquePointer

    /// The shared dictionary, or nil when this ICU build has no CJK dictionary
    /// (then Han text is segmented character by character, as ICU itself would).
    public static let shared: WordDictionary? = WordDictionary()

    private init?() {
        var status: Int32 = 0
        guard let pointer = xs_icu_cjk_dictionary_open(&status) else { return nil }
        self.pointer = pointer
    }

    deinit { xs_icu_cjk_dictionary_close(pointer) }

    /// Writes the lengths and costs of the words starting at `start`; returns how many.
    @inline(__always)
    func prefixes(of units: UnsafePointer<UInt16>, maxLength: Int,
                  lengths: UnsafeMutablePointer<Int32>, costs: UnsafeMutablePointer<Int32>, capacity: Int) -> Int {
        Int(xs_icu_cjk_dictionary_prefixes(pointer, units, Int32(maxLength), lengths, costs, Int32(capacity)))
    }
}
