import Foundation

/// JSON Lines: one JSON object a line. Nested objects are flattened to
/// dotted names (`user.id`); numbers become their text; null
/// is absent; lists are kept out (a mapped list is `notText`). Blank lines
/// are not records.
public final class JSONLRecordReader: ArchiveRecordReader {
    private let lines: ByteLineReader
    private let encoding: ArchiveEncoding
    private let maxRecordBytes: Int
    private var number: Int

    /// - Parameters:
    ///   - resumeAt: the checkpoint (records done, last line, byte offset) the source was opened at.
    public init(source: any ByteSource, encoding: ArchiveEncoding = .utf8, maxRecordBytes: Int = 1_048_576,
                resumeAt position: ArchivePosition = .start) throws(ArchiveError) {
        lines = ByteLineReader(source: source, maxBytes: maxRecordBytes, startLine: position.line, startOffset: position.offset)
        self.encoding = encoding
        self.maxRecordBytes = maxRecordBytes
        number = position.records
        if position.offset == 0, encoding == .utf8, TextDecoding.looksGBK(try lines.peek().prefix(65_536)) {
            throw .looksGBK(file: source.name)
        }
    }

    public var fileBytesRead: Int64 { lines.source.fileBytesRead }

    public func next() throws(ArchiveError) -> ArchiveRecord? {
        while let line = try lines.next() {
            guard let bytes = line.bytes else {
                number += 1
                return ArchiveRecord(number: number, line: line.number, endOffset: line.endOffset,
                                     content: .failure(.tooLarge(bytes: line.length, limit: maxRecordBytes)))
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            number += 1
            return ArchiveRecord(number: number, line: line.number, endOffset: line.endOffset, content: parse(bytes))
        }
        return nil
    }

    private func parse(_ bytes: [UInt8]) -> Result<[String: String], ArchiveRowError> {
        let data: Data
        switch encoding.decode(bytes) {
        case .success(let text): data = Data(text.utf8)
        case .failure(let error): return .failure(error)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return .failure(.notJSONObject) }
        var fields: [String: String] = [:]
        Self.flatten(object, prefix: "", into: &fields)
        return .success(fields)
    }

    /// Lists become a marker so that a mapped list is reported, not read as text.
    static let listMarker = "\u{0}list"

    static func flatten(_ object: [String: Any], prefix: String, into fields: inout [String: String]) {
        for (key, value) in object {
            let name = prefix + key
            switch value {
            case let string as String: fields[name] = string
            case let number as NSNumber: fields[name] = number.stringValue
            case let nested as [String: Any]:
                fields[name] = listMarker
                flatten(nested, prefix: name + ".", into: &fields)
            case is [Any]: fields[name] = listMarker
            default: continue
            }
        }
    }
}

/// Where a line-based read resumes: records done, the last line read and
/// the byte offset after it (all 0 at the start).
public struct ArchivePosition: Sendable, Equatable, Codable {
    public var records: Int
    public var line: Int
    public var offset: Int64

    public init(records: Int, line: Int, offset: Int64) {
        self.records = records
        self.line = line
        self.offset = offset
    }

    public static let start = ArchivePosition(records: 0, line: 0, offset: 0)
}
