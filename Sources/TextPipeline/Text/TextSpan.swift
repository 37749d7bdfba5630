/// A half-open range of UTF-16 code units, `start..<end`.
///
/// Xinsheng's public offsets are UTF-16 offsets: the unit JavaScript, the
/// agent console and most JSON consumers index strings by, so a span can
/// highlight the customer's words without conversion. Use
/// `OffsetIndex` to turn them into Unicode scalar offsets.
public struct TextSpan: Hashable, Codable, Sendable, CustomStringConvertible {
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) {
        precondition(start <= end, "a span cannot end before it starts")
        self.start = start
        self.end = end
    }

    public init(_ range: Range<Int>) {
        self.init(start: range.lowerBound, end: range.upperBound)
    }

    public var range: Range<Int> { start..<end }
    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }

    /// The smallest span covering both.
    public func union(_ other: TextSpan) -> TextSpan {
        TextSpan(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}
