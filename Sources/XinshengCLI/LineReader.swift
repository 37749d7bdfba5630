import Foundation
import Mining

/// Reads the CLI's text input line by line, so that one bad line (invalid
/// UTF-8, a 1 MB line) is reported with its number and the rest still read.
/// The splitting is Mining's `ByteLineReader` (bounded memory, CRLF, BOM);
/// this adds the CLI's error type.
final class LineReader {
    struct Line {
        let number: Int
        let content: Result<String, InputLineError>
    }

    private let lines: ByteLineReader
    private let maxBytes: Int

    init(handle: FileHandle, maxBytes: Int) {
        lines = ByteLineReader(source: FileByteSource(descriptor: handle.fileDescriptor, name: "input"), maxBytes: maxBytes)
        self.maxBytes = maxBytes
    }

    /// The next line; nil at the end of the input (or when it cannot be read on).
    func next() -> Line? {
        guard let line = try? lines.next() else { return nil }
        guard let bytes = line.bytes else {
            return Line(number: line.number, content: .failure(.lineTooLong(bytes: line.length, limit: maxBytes)))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Line(number: line.number, content: .failure(.text(.invalidUTF8(byteOffset: ArchiveEncoding.firstInvalidUTF8(bytes)))))
        }
        return Line(number: line.number, content: .success(text))
    }
}
