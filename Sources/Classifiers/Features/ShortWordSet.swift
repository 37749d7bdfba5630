import TextPipeline

/// A set of words looked up by their code units: a word of up to four
/// UTF-16 units by those units packed into one integer, a longer one (rare
/// in these tables) by its text.
///
/// Swift hashes and compares `String`s by canonical equivalence, which for
/// Chinese text means Unicode normalisation on every lookup: the cue-scope
/// and polarity sets were a tenth of the whole analysis that way, and the
/// conversation signals' sets about 15 % of mining's CPU. Token texts come out of the
/// pipeline's NFKC normalisation, so their code units decide equality, and
/// an integer hashes in a few instructions — in an `IntegerKeyTable`
/// (multiplicative hash, linear probing), since a `Dictionary` would hash it
/// with SipHash (3 % of mining's analysis). Callers that look a text up more
/// than once compute its `key(of:)` once and pass it.
package struct ShortWordSet<Value: Sendable>: Sendable {
    package static var maximumUnits: Int { 4 }
    private let values: IntegerKeyTable<Value?>
    /// Words longer than `maximumUnits`, only ever compared with texts as long.
    private let longValues: [String: Value]

    /// The words with their values; an empty word, or one with a NUL unit, is a programming error.
    package init(_ entries: [(String, Value)]) {
        var values: [UInt64: Value] = [:]
        var longValues: [String: Value] = [:]
        for (word, value) in entries {
            precondition(!word.isEmpty && !word.utf16.contains(0), "“\(word)” is empty or holds a NUL unit")
            if let key = Self.key(of: word) {
                values[key] = value
            } else {
                longValues[word] = value
            }
        }
        // A key is never 0: a word has at least one unit and no NUL.
        self.values = IntegerKeyTable(values.mapValues { $0 }, empty: 0, missing: nil)
        self.longValues = longValues
    }

    /// The value of `text`, or nil when it is not one of the words.
    package subscript(_ text: String) -> Value? {
        self[text, key: Self.key(of: text)]
    }

    /// The value of `text`, whose `key(of:)` the caller has already made.
    package subscript(_ text: String, key key: UInt64?) -> Value? {
        if let key { return values.value(of: key) }
        return longValues.isEmpty ? nil : longValues[text]
    }

    /// The code units of a text of one to four units, sixteen bits each,
    /// first unit highest; nil for anything longer, for the empty text and
    /// for a NUL unit (which could make two lengths share a key).
    package static func key(of text: String) -> UInt64? {
        var key: UInt64 = 0, count = 0
        for unit in text.utf16 {
            guard count < maximumUnits, unit != 0 else { return nil }
            key = key << 16 | UInt64(unit)
            count += 1
        }
        return count == 0 ? nil : key
    }
}

extension ShortWordSet where Value == Void {
    package init(_ words: [String]) {
        self.init(words.map { ($0, ()) })
    }

    package func contains(_ text: String) -> Bool {
        self[text] != nil
    }

    package func contains(_ text: String, key: UInt64?) -> Bool {
        self[text, key: key] != nil
    }
}
