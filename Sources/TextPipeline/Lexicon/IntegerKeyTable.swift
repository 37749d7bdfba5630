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
