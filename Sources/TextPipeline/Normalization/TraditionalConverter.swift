import CICU
import Synchronization

/// Converts runs of Traditional Chinese to Simplified with ICU's
/// "Traditional-Simplified" transliterator, phrase rules included
/// (乾隆 stays, 乾淨 → 干净).
///
/// ICU transliterators are not safe to share between threads while
/// transliterating, so the one instance sits behind a mutex. Only runs that
/// contain a Traditional character come here, so contention is rare.
final class TraditionalConverter: Sendable {
    static let transliteratorID = "Traditional-Simplified"
    static let shared = TraditionalConverter()

    private final class Handle: @unchecked Sendable {
        let pointer: OpaquePointer?
        init(_ pointer: OpaquePointer?) { self.pointer = pointer }
        deinit { if let pointer { xs_icu_transliterator_close(pointer) } }
    }

    private let handle: Mutex<Handle>

    private init() {
        var status: Int32 = 0
        handle = Mutex(Handle(xs_icu_transliterator_open(Self.transliteratorID, &status)))
    }

    /// The Simplified form of `units`, or `units` unchanged if ICU fails.
    func convert(_ units: ArraySlice<UInt16>) -> [UInt16] {
        handle.withLock { handle -> [UInt16] in
            guard let pointer = handle.pointer else { return Array(units) }
            var capacity = units.count * 2 + 16
            for _ in 0..<2 {
                var buffer = Array(units)
                buffer.append(contentsOf: repeatElement(0, count: capacity - buffer.count))
                var status: Int32 = 0
                let length = buffer.withUnsafeMutableBufferPointer {
                    xs_icu_transliterate(pointer, $0.baseAddress, Int32(units.count), Int32(capacity), &status)
                }
                if status <= 0 { return Array(buffer[0..<Int(length)]) }
                capacity = Int(length) + 16
            }
            return Array(units)
        }
    }
}
