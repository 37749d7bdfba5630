import CMemoryHints

/// A read-only matrix of fixed-size numbers whose storage starts on a
/// 64-byte cache line, so a row of a whole number of lines (32 `Float`s,
/// 64 one-byte codes) occupies exactly those lines. An `Array`'s elements start
/// 32 bytes into a 16-byte-aligned block: there each 128-byte row of the
/// bundled weights straddled three lines, and scoring a text — a few hundred
/// rows scattered over tens of megabytes — fetched half as much again as it
/// reads. Immutable once built; freed with its owner.
final class CacheAlignedRows<Element: BitwiseCopyable>: @unchecked Sendable {
    static var lineBytes: Int { 64 }

    let count: Int
    let width: Int
    private let start: UnsafeMutablePointer<Element>

    /// `count` elements, `width` to a row, written once by `fill`.
    init(count: Int, width: Int, fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        precondition(width > 0 && count % width == 0, "a matrix holds whole rows")
        self.count = count
        self.width = width
        let bytes = max(count * MemoryLayout<Element>.stride, 1)
        start = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.lineBytes)
            .bindMemory(to: Element.self, capacity: count)
        do {
            try fill(UnsafeMutableBufferPointer(start: start, count: count))
        } catch {
            start.deallocate()
            throw error
        }
    }

    convenience init(_ values: [Element], width: Int) {
        self.init(count: values.count, width: width) { target in
            _ = target.initialize(from: values)
        }
    }

    deinit { start.deallocate() }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: start, count: count) }

    var elements: [Element] { Array(buffer) }

    @inline(__always)
    subscript(index: Int) -> Element {
        assert(index >= 0 && index < count, "index \(index) outside a matrix of \(count)")
        return start[index]
    }

    /// Asks for the lines of `row` ahead of reading it.
    @inline(__always)
    func prefetch(row: Int32) {
        let rowBytes = width &* MemoryLayout<Element>.stride
        let first = Int(bitPattern: start) &+ Int(row) &* rowBytes
        var line = first & ~(Self.lineBytes - 1)
        while line < first &+ rowBytes {
            xs_prefetch(UnsafeRawPointer(bitPattern: line))
            line &+= Self.lineBytes
        }
    }
}
