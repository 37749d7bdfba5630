import Foundation

/// Reads a stream line by line as bytes, so that one bad line (invalid
/// UTF-8, a 1 MB line) is reported with its number and the rest still read.
/// Memory stays bounded: bytes past `maxBytes` in a line are counted, not kept.
final class LineReader {
    struct Line {
        let number: Int
        let content: Result<String, InputLineError>
    }

    private let handle: FileHandle
    private let maxBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var lineNumber = 0

    init(handle: FileHandle, maxBytes: Int) {
        self.handle = handle
        self.maxBytes = maxBytes
    }

    func next() -> Line? {
        var line: [UInt8] = []
        var overflow = 0
        while true {
            if position >= buffer.count {
                if finished { break }
                // availableData returns what is there (a typed line), where readData(ofLength:) would wait for 64 KiB.
                let chunk = handle.availableData
                if chunk.isEmpty { finished = true; break }
                buffer = [UInt8](chunk)
                position = 0
            }
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                append(buffer[position..<newline], to: &line, overflow: &overflow)
                position = newline + 1
                return makeLine(line, overflow: overflow)
            }
            append(buffer[position...], to: &line, overflow: &overflow)
            position = buffer.count
        }
        if line.isEmpty && overflow == 0 { return nil }
        return makeLine(line, overflow: overflow)
    }

    private func append(_ bytes: ArraySlice<UInt8>, to line: inout [UInt8], overflow: inout Int) {
        let room = max(0, maxBytes + 1 - line.count)
        if bytes.count <= room {
            line.append(contentsOf: bytes)
        } else {
            line.append(contentsOf: bytes.prefix(room))
            overflow += bytes.count - room
        }
    }

    private func makeLine(_ bytes: [UInt8], overflow: Int) -> Line {
        lineNumber += 1
        var bytes = bytes[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let total = bytes.count + overflow
        if total > maxBytes {
            return Line(number: lineNumber, content: .failure(.lineTooLong(bytes: total, limit: maxBytes)))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Line(number: lineNumber, content: .failure(.text(.invalidUTF8(byteOffset: Self.firstInvalidByte(bytes)))))
        }
        return Line(number: lineNumber, content: .success(text))
    }

    /// Offset of the first byte where UTF-8 decoding fails.
    static func firstInvalidByte(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
                offset = consumed
            case .emptyInput:
                return offset
            case .error:
                return offset
            }
        }
    }
}
