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
