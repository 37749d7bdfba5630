/// A trie over UTF-16 units: a 65,536-slot table for the first unit, then a
/// hash of (node, unit) → child for the rest.
struct LexiconTrie: Sendable {
    /// Node reached by each first unit, or -1.
    private let roots: [Int32]
    /// (node << 16 | unit) → child node.
    private let children: IntegerKeyTable<Int32>
    /// Entry index ending at each node, or -1.
    private let terminals: [Int32]
    let maxLength: Int

    init(terms: [[UInt16]]) {
        var roots = [Int32](repeating: -1, count: 0x10000)
        var children: [UInt64: Int32] = [:]
        var terminals: [Int32] = []
        var maxLength = 0
        for (index, term) in terms.enumerated() where !term.isEmpty {
            maxLength = max(maxLength, term.count)
            var node: Int32
            if roots[Int(term[0])] >= 0 {
                node = roots[Int(term[0])]
            } else {
                node = Int32(terminals.count)
                terminals.append(-1)
                roots[Int(term[0])] = node
            }
            for unit in term.dropFirst() {
                let key = UInt64(node) << 16 | UInt64(unit)
                if let child = children[key] {
                    node = child
                } else {
                    let child = Int32(terminals.count)
                    terminals.append(-1)
                    children[key] = child
                    node = child
                }
            }
            if terminals[Int(node)] < 0 { terminals[Int(node)] = Int32(index) }
        }
        self.roots = roots
        // Node numbers stay far below 2^47, so no key is all ones.
        self.children = IntegerKeyTable(children, empty: .max, missing: -1)
        self.terminals = terminals
        self.maxLength = maxLength
    }

    @inline(__always)
    func forEachMatch(in units: UnsafeBufferPointer<UInt16>, at start: Int, limit: Int, _ body: (Int, Int) -> Void) {
        var node = roots[Int(units[start])]
        guard node >= 0 else { return }
        var position = start
        while true {
            let terminal = terminals[Int(node)]
            if terminal >= 0 { body(position - start + 1, Int(terminal)) }
            position += 1
            guard position < limit else { return }
            let child = children.value(of: UInt64(node) << 16 | UInt64(units[position]))
            guard child >= 0 else { return }
            node = child
        }
    }

    func forEachMatch(in units: [UInt16], at start: Int, limit: Int, _ body: (Int, Int) -> Void) {
        units.withUnsafeBufferPointer { forEachMatch(in: $0, at: start, limit: limit, body) }
    }
}

/// A read-only map from integer keys to values: open addressing with linear
/// probing over a power-of-two table at most half full, a key's first slot
/// the top bits of the key times a large odd constant.
///
/// Swift's `Dictionary` hashes with SipHash, which made lexicon lookups the
/// largest cost of segmentation with the full lexicons (issue 3's throughput
/// target); a multiplicative hash with linear probing is several times faster
/// for these integer keys. Used for the lexicon trie's (node, unit) → child
/// table and for `ShortWordSet`'s short words.
package struct IntegerKeyTable<Value: Sendable>: Sendable {
    private let keys: [UInt64]
    private let values: [Value]
    /// The key marking an empty slot: one no entry can have.
    private let empty: UInt64
    /// What a key that is not in the table gets.
    private let missing: Value
    private let shift: UInt64
    private let mask: Int

    package init(_ entries: [UInt64: Value], empty: UInt64, missing: Value) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        var keys = [UInt64](repeating: empty, count: capacity)
        var values = [Value](repeating: missing, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (key, value) in entries {
            precondition(key != empty, "a key equal to the empty-slot marker cannot be stored")
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != empty { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.empty = empty
        self.missing = missing
        self.shift = shift
        self.mask = capacity - 1
    }

    /// The value for `key`, or `missing`.
    @inline(__always)
    package func value(of key: UInt64) -> Value {
        keys.withUnsafeBufferPointer { keys in
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let found = keys[slot]
                if found == key && key != empty { return values[slot] }
                if found == empty { return missing }
                slot = (slot + 1) & mask
            }
        }
    }
}
