import CICU

/// ICU's own word break iterator for Chinese: the baseline Xinsheng's
/// segmentation is measured against (`xinsheng bench segment`, the SIGHAN
/// scores). Not thread-safe: one instance per thread.
public final class ICUWordBreaker {
    private let pointer: OpaquePointer
    private var boundaries = [Int32](repeating: 0, count: 1024)

    /// - Throws: `SegmentationError.icuUnavailable` when ICU cannot open a word iterator.
    public init(locale: String = "zh") throws {
        var status: Int32 = 0
        guard let pointer = xs_icu_word_breaker_open(locale, &status) else {
            throw SegmentationError.icuUnavailable(status: String(cString: xs_icu_error_name(status)))
        }
        self.pointer = pointer
    }

    deinit { xs_icu_word_breaker_close(pointer) }

    /// The number of boundaries ICU finds in `units` (what the benchmark times).
    public func countBoundaries(_ units: [UInt16]) -> Int {
        units.withUnsafeBufferPointer { buffer in
            var status: Int32 = 0
            xs_icu_word_breaker_set_text(pointer, buffer.baseAddress, Int32(buffer.count), &status)
            let count = Int(xs_icu_word_breaker_count(pointer))
            return count
        }
    }

    /// ICU's words of a text, whitespace dropped.
    public func words(_ text: String) -> [String] {
        let units = Array(text.utf16)
        return units.withUnsafeBufferPointer { buffer -> [String] in
            var status: Int32 = 0
            xs_icu_word_breaker_set_text(pointer, buffer.baseAddress, Int32(buffer.count), &status)
            var count = Int(xs_icu_word_breaker_boundaries(pointer, &boundaries, Int32(boundaries.count)))
            if count > boundaries.count {
                boundaries = [Int32](repeating: 0, count: count)
                count = Int(xs_icu_word_breaker_boundaries(pointer, &boundaries, Int32(boundaries.count)))
            }
            var words: [String] = []
            if count < 2 { return words }
            for index in 0..<(count - 1) {
                let word = String(decoding: buffer[Int(boundaries[index])..<Int(boundaries[index + 1])], as: UTF16.self)
                if !word.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) { words.append(word) }
            }
            return words
        }
    }
}

/// Problems setting up segmentation.
public enum SegmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    case icuUnavailable(status: String)

    public var code: String { "segmentation.icu_unavailable" }

    public var description: String {
        switch self {
        case .icuUnavailable(let status): "ICU word break iterator could not be opened (\(status)) [\(code)]"
        }
    }
}
