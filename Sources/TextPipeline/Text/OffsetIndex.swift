/// Converts UTF-16 offsets of a string to Unicode scalar offsets and back.
///
/// Xinsheng's API uses UTF-16 offsets (see `TextSpan`); consumers that index
/// by code point (Python, Rust's `char_indices`) convert with this index.
public struct OffsetIndex: Sendable {
    /// scalarAt[u] = number of scalars before UTF-16 offset u (for u on a scalar boundary).
    private let scalarAtUTF16: [Int32]
    /// utf16At[s] = UTF-16 offset of scalar s; one extra entry for the end.
    private let utf16AtScalar: [Int32]

    public init(_ text: String) {
        var scalarAt: [Int32] = []
        var utf16At: [Int32] = []
        scalarAt.reserveCapacity(text.utf16.count + 1)
        utf16At.reserveCapacity(text.unicodeScalars.count + 1)
        var utf16Offset: Int32 = 0
        var scalarOffset: Int32 = 0
        for scalar in text.unicodeScalars {
            utf16At.append(utf16Offset)
            let width = Int32(scalar.utf16.count)
            for _ in 0..<width { scalarAt.append(scalarOffset) }
            utf16Offset += width
            scalarOffset += 1
        }
        scalarAt.append(scalarOffset)
        utf16At.append(utf16Offset)
        self.scalarAtUTF16 = scalarAt
        self.utf16AtScalar = utf16At
    }

    /// The scalar offset at a UTF-16 offset (inside a surrogate pair: the pair's scalar).
    public func scalarOffset(utf16 offset: Int) -> Int { Int(scalarAtUTF16[offset]) }

    /// The UTF-16 offset of a scalar offset.
    public func utf16Offset(scalar offset: Int) -> Int { Int(utf16AtScalar[offset]) }

    /// A UTF-16 span as a range of scalar offsets.
    public func scalarRange(of span: TextSpan) -> Range<Int> {
        scalarOffset(utf16: span.start)..<scalarOffset(utf16: span.end)
    }
}
