/// A read-only map from feature key to weight row: open addressing with
/// linear probing over a power-of-two table. Looking features up is the
/// hottest loop of classification; this is several times faster than a
/// `Dictionary<UInt64, Int32>`, which hashes each key with SipHash.
struct FeatureIndex: Sendable {
    private let slots: [UInt64]
    private let rows: [Int32]
    private let shift: UInt64
    private let mask: Int
    /// Key 0 cannot mark an empty slot and a key; it is kept aside.
    private let rowOfZero: Int32?

    init(keys: [UInt64]) {
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        var rows = [Int32](repeating: -1, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        var zero: Int32? = nil
        for (row, key) in keys.enumerated() {
            if key == 0 { zero = Int32(row); continue }
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[slot] != 0 && slots[slot] != key { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = key
            rows[slot] = Int32(row)
        }
        self.slots = slots
        self.rows = rows
        self.shift = shift
        self.mask = capacity - 1
        self.rowOfZero = zero
    }

    @inline(__always)
    func row(of key: UInt64) -> Int32? {
        if key == 0 { return rowOfZero }
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let found = slots[slot]
                if found == key { return rows[slot] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
