import Taxonomy
/// The domain lexicons: terms the segmenter keeps whole, with their tags.
///
/// A term is matched against normalised text, so it is stored normalised
/// (Simplified, lower-case, half-width). Matching uses a trie over UTF-16
/// units with a direct table for the first unit, so most positions of a
/// text are rejected with one array read.
public struct Lexicon: Sendable {
    /// One term with everything the lexicon files say about it.
    public struct Entry: Sendable, Equatable {
        /// The normalised term.
        public let term: String
        public let units: [UInt16]
        public let tags: [LexiconTag]
        /// Precedence between overlapping terms of equal length (higher wins).
        public let weight: Double
        /// Where it was first defined, `file:line`.
        public let origin: String
    }

    public let entries: [Entry]
    /// FNV-1a over the sorted entries: the lexicon version recorded with every result.
    public let fingerprint: String
    private let trie: LexiconTrie

    /// A lexicon with no terms.
    public static let empty = Lexicon(entries: [])

    init(entries: [Entry]) {
        self.entries = entries
        self.trie = LexiconTrie(terms: entries.map(\.units))
        var hash = FNV1a()
        for entry in entries.sorted(by: { $0.term < $1.term }) {
            hash.combine(entry.term)
            for tag in entry.tags { hash.combine(tag.rawValue) }
            hash.combine(String(entry.weight))
        }
        self.fingerprint = "lexicon-" + hash.hex
    }

    /// The entry for a normalised term, if the lexicon has it.
    public func entry(for term: String) -> Entry? {
        let units = Array(term.utf16)
        var found: Entry?
        trie.forEachMatch(in: units, at: 0, limit: units.count) { length, index in
            if length == units.count { found = entries[index] }
        }
        return found
    }

    /// Calls `body(length, entry index)` for every term that starts at `start`, shortest first.
    @inline(__always)
    func forEachMatch(in units: UnsafeBufferPointer<UInt16>, at start: Int, limit: Int, _ body: (Int, Int) -> Void) {
        trie.forEachMatch(in: units, at: start, limit: limit, body)
    }
}
