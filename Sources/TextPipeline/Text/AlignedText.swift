/// A text derived from an original string, where every UTF-16 unit knows the
/// span of the original it came from.
///
/// Normalisation and masking both produce an `AlignedText`; composing them
/// keeps the link to what the customer actually wrote, so evidence found in
/// the normalised, masked text can be highlighted in the original.
/// All offsets are UTF-16 offsets (see `TextSpan`).
public struct AlignedText: Sendable, Equatable {
    /// The text as the customer wrote it.
    public let original: String
    /// The derived text, as UTF-16 code units.
    public let units: [UInt16]
    /// For each unit of `units`, the start of its source span in `original`.
    public let sourceStarts: [Int32]
    /// For each unit of `units`, the end of its source span in `original`.
    public let sourceEnds: [Int32]

    public init(original: String, units: [UInt16], sourceStarts: [Int32], sourceEnds: [Int32]) {
        precondition(units.count == sourceStarts.count && units.count == sourceEnds.count,
                     "every unit needs a source span")
        self.original = original
        self.units = units
        self.sourceStarts = sourceStarts
        self.sourceEnds = sourceEnds
    }

    /// The identity alignment of a string with itself.
    public init(identity text: String) {
        let units = Array(text.utf16)
        self.init(original: text, units: units,
                  sourceStarts: (0..<units.count).map { Int32($0) },
                  sourceEnds: (0..<units.count).map { Int32($0 + 1) })
    }

    /// The derived text as a string.
    public var text: String { UTF16Text.string(units[...]) }

    /// Number of UTF-16 units in the derived text.
    public var count: Int { units.count }

    /// The derived text of a span.
    public func text(of span: TextSpan) -> String {
        UTF16Text.string(units[span.start..<span.end])
    }

    /// The span of the original text that a span of the derived text came from.
    /// An empty span maps to the empty original span just before its position.
    public func sourceSpan(of span: TextSpan) -> TextSpan {
        if span.isEmpty {
            let at = span.start < units.count ? Int(sourceStarts[span.start])
                : (units.isEmpty ? 0 : Int(sourceEnds[units.count - 1]))
            return TextSpan(start: at, end: at)
        }
        var lower = Int(sourceStarts[span.start])
        var upper = Int(sourceEnds[span.end - 1])
        // Reordering never happens in this pipeline, but collapsed runs make
        // neighbouring units share sources; take the hull to be safe.
        if lower > upper { swap(&lower, &upper) }
        return TextSpan(start: lower, end: upper)
    }

    /// The original text of a span of the derived text.
    public func sourceText(of span: TextSpan) -> String {
        originalText(at: sourceSpan(of: span))
    }

    /// The original text at a span of the original (a token's `sourceSpan`).
    public func originalText(at source: TextSpan) -> String {
        let utf16 = original.utf16
        let from = utf16.index(utf16.startIndex, offsetBy: source.start)
        let to = utf16.index(from, offsetBy: source.length)
        return String(original[from..<to])
    }
}
