/// Splits a `ByteSource` into lines (LF or CRLF), keeping each line's
/// number and the byte offset just after it. A line longer than `maxBytes`
/// is counted, not kept, so memory stays bounded whatever the input.
/// Used by the archive readers and by the CLI's text input.
public final class ByteLineReader {
    public struct Line {
        /// 1-based line number in the file.
        public let number: Int
        /// The line without its line break (nil when over `maxBytes`).
        public let bytes: [UInt8]?
        /// Length of the whole line, kept or not.
        public let length: Int
        /// Offset in the (decompressed) stream just after the line break.
        public let endOffset: Int64
    }

    let source: any ByteSource
    private let maxBytes: Int
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private var finished = false
    private(set) var lineNumber: Int
    private(set) var offset: Int64

    /// - Parameters:
    ///   - startLine: the number of the line before the first one read (resuming).
    ///   - startOffset: the source's position (resuming).
    public init(source: any ByteSource, maxBytes: Int, startLine: Int = 0, startOffset: Int64 = 0, bufferSize: Int = 256 * 1024) {
        self.source = source
        self.maxBytes = maxBytes
        buffer = [UInt8](repeating: 0, count: bufferSize)
        lineNumber = startLine
        offset = startOffset
    }

    /// The first bytes of the stream without consuming them (for sniffing encodings and BOMs).
    func peek() throws(ArchiveError) -> ArraySlice<UInt8> {
        if filled == 0 && !finished { try fill() }
        return buffer[position..<filled]
    }

    public func next() throws(ArchiveError) -> Line? {
        var kept: [UInt8] = []
        var length = 0
        while true {
            if position >= filled {
                if finished { break }
                try fill()
                if finished && position >= filled { break }
            }
            let newline = buffer[position..<filled].firstIndex(of: 0x0A)
            let end = newline ?? filled
            let count = end - position
            if length + count <= maxBytes + 1 {
                kept.append(contentsOf: buffer[position..<end])
            } else if length <= maxBytes + 1 {
                kept.append(contentsOf: buffer[position..<(position + maxBytes + 1 - length)])
            }
            length += count
            offset += Int64(count)
            position = end
            if newline != nil {
                position += 1
                offset += 1
                return makeLine(kept, length: length)
            }
        }
        if length == 0 { return nil }
        return makeLine(kept, length: length)
    }

    private func makeLine(_ kept: [UInt8], length: Int) -> Line {
        lineNumber += 1
        var bytes = kept
        var length = length
        if length <= maxBytes + 1, bytes.last == 0x0D { bytes.removeLast(); length -= 1 }
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); length -= 3 }
        return Line(number: lineNumber, bytes: length > maxBytes ? nil : bytes, length: length, endOffset: offset)
    }

    /// Refills the buffer; called only once everything in it is consumed.
    private func fill() throws(ArchiveError) {
        position = 0
        filled = 0
        let source = self.source
        let result = buffer.withUnsafeMutableBytes { raw -> Result<Int, ArchiveError> in
            do throws(ArchiveError) {
                return .success(try source.read(into: raw))
            } catch {
                return .failure(error)
            }
        }
        filled = try result.get()
        if filled == 0 { finished = true }
    }
}
