/// A set of short words (up to four UTF-16 units each) looked up by their
/// code units packed into one integer.
///
/// Swift hashes and compares `String`s by canonical equivalence, which for
/// Chinese text means Unicode normalisation on every lookup: the cue-scope
/// and polarity sets were a tenth of the whole analysis that way. Token texts
/// come out of the pipeline's NFKC normalisation, so their code units decide
/// equality, and an integer hashes in a few instructions.
struct ShortWordSet<Value: Sendable>: Sendable {
    static var maximumUnits: Int { 4 }
    private let values: [UInt64: Value]

    /// The words with their values; a word longer than four units is a programming error.
    init(_ entries: [(String, Value)]) {
        var values: [UInt64: Value] = [:]
        for (word, value) in entries {
            guard let key = Self.key(of: word) else {
                preconditionFailure("“\(word)” is not 1–\(Self.maximumUnits) UTF-16 units without NUL")
            }
            values[key] = value
        }
        self.values = values
    }

    /// The value of `text`, or nil when it is not one of the words.
    subscript(_ text: String) -> Value? {
        Self.key(of: text).flatMap { values[$0] }
    }

    /// The value of the text whose `key(of:)` is `key` (nil: too long to be one of the words).
    subscript(key key: UInt64?) -> Value? {
        key.flatMap { values[$0] }
    }

    /// The code units of a text of one to four units, sixteen bits each,
    /// first unit highest; nil for anything longer, for the empty text and
    /// for a NUL unit (which could make two lengths share a key).
    static func key(of text: String) -> UInt64? {
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
    init(_ words: [String]) {
        self.init(words.map { ($0, ()) })
    }

    func contains(_ text: String) -> Bool {
        self[text] != nil
    }
}
