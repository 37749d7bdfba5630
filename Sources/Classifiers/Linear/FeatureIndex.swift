import CMemoryHints

/// A read-only map from feature key to weight row: open addressing with
/// linear probing over a power-of-two table. Looking features up is the
/// hottest loop of classification; this is several times faster than a
/// `Dictionary<UInt64, Int32>`, which hashes each key with SipHash.
///
/// Each slot holds its key and its row side by side (16 bytes, four to a
/// cache line), so a lookup that finds its key at once costs one line,
/// where separate key and row arrays cost two; `prefetch(key:)` asks for a
/// key's line before it is looked up.
struct FeatureIndex: Sendable {
    private struct Slot {
        var key: UInt64
        var row: Int32
    }

    private let slots: [Slot]
    private let shift: UInt64
    private let mask: Int
    /// Key 0 cannot mark an empty slot and a key; it is kept aside.
    private let rowOfZero: Int32?

    init(keys: [UInt64]) {
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(key: 0, row: -1), count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        var zero: Int32? = nil
        for (row, key) in keys.enumerated() {
            if key == 0 { zero = Int32(row); continue }
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while slots[slot].key != 0 && slots[slot].key != key { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(key: key, row: Int32(row))
        }
        self.slots = slots
        self.shift = shift
        self.mask = capacity - 1
        self.rowOfZero = zero
    }

    @inline(__always)
    private func home(of key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    @inline(__always)
    func row(of key: UInt64) -> Int32? {
        if key == 0 { return rowOfZero }
        return slots.withUnsafeBufferPointer { slots in
            var slot = home(of: key)
            while true {
                let found = slots[slot]
                if found.key == key { return found.row }
                if found.key == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Asks for the line of `key`'s first slot ahead of looking it up.
    @inline(__always)
    func prefetch(key: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let start = slots.baseAddress { xs_prefetch(start + home(of: key)) }
        }
    }
}
