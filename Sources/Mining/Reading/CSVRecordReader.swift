import CSV

/// CSV with a header line. Record boundaries are found here, over bytes
/// (a quoted field may hold line breaks); the fields of each record are
/// parsed by CSV.swift. A record with broken quoting — text after a closing
/// quote, or a quote never closed within `maxRecordLines` lines or
/// `maxRecordBytes` bytes — is rejected by its first line, and reading
/// starts again on the line after it, so one bad quote costs one row.
public final class CSVRecordReader: ArchiveRecordReader {
    public let header: [String]
    private let lines: ByteLineReader
    private let encoding: ArchiveEncoding
    private let delimiter: UInt8
    private let maxRecordBytes: Int
    private let maxRecordLines: Int
    private var number: Int
    /// Lines read ahead while looking for the end of a broken record, to read again.
    private var pending: [ByteLineReader.Line] = []

    /// Reads the header line (always from the start of the file). To resume,
    /// pass a second source opened at `position.offset`.
    public init(source: any ByteSource, resumeSource: (any ByteSource)? = nil, resumeAt position: ArchivePosition = .start,
                encoding: ArchiveEncoding = .utf8, delimiter: Character = ",", maxRecordBytes: Int = 1_048_576,
                maxRecordLines: Int = 200) throws(ArchiveError) {
        guard let delimiterByte = delimiter.asciiValue, delimiter != "\"", delimiter != "\n" else {
            throw .badHeader(file: source.name, reason: "the delimiter must be one ASCII character other than a quote or line break")
        }
        self.encoding = encoding
        self.delimiter = delimiterByte
        self.maxRecordBytes = maxRecordBytes
        self.maxRecordLines = maxRecordLines
        let headerLines = ByteLineReader(source: source, maxBytes: maxRecordBytes)
        if encoding == .utf8, TextDecoding.looksGBK(try headerLines.peek().prefix(65_536)) {
            throw .looksGBK(file: source.name)
        }
        var scanner = Scanner(delimiter: delimiterByte)
        guard let first = try headerLines.next(), let bytes = first.bytes, scanner.scan(bytes) == .complete,
              case .success(let text) = encoding.decode(bytes),
              let fields = Self.fields(of: text, delimiter: delimiter) else {
            throw .badHeader(file: source.name, reason: "the first line must be a header of column names")
        }
        let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) { throw .badHeader(file: source.name, reason: "an empty column name") }
        if Set(names).count != names.count { throw .badHeader(file: source.name, reason: "duplicate column names") }
        header = names
        if let resumeSource {
            lines = ByteLineReader(source: resumeSource, maxBytes: maxRecordBytes, startLine: position.line, startOffset: position.offset)
        } else {
            lines = headerLines
        }
        number = position.records
    }

    public var fileBytesRead: Int64 { lines.source.fileBytesRead }

    public func next() throws(ArchiveError) -> ArchiveRecord? {
        var scanner = Scanner(delimiter: delimiter)
        var taken: [ByteLineReader.Line] = []
        var bytes = 0
        while let line = try nextLine() {
            if taken.isEmpty, let content = line.bytes, content.isEmpty { continue }
            taken.append(line)
            guard let content = line.bytes else {
                return reject(taken, .tooLarge(bytes: line.length, limit: maxRecordBytes))
            }
            bytes += content.count + 1
            switch taken.count == 1 ? scanner.scan(content) : scanner.scan(continuation: content) {
            case .complete:
                return record(taken, broken: false)
            case .broken:
                // Broken on a later line: the open quote on the first line was the mistake.
                return taken.count > 1 ? reject(taken, .brokenQuoting) : record(taken, broken: true)
            case .openQuote:
                if bytes > maxRecordBytes { return reject(taken, .tooLarge(bytes: bytes, limit: maxRecordBytes)) }
                if taken.count >= maxRecordLines { return reject(taken, .brokenQuoting) }
            }
        }
        if taken.isEmpty { return nil }
        return reject(taken, .brokenQuoting)
    }

    private func nextLine() throws(ArchiveError) -> ByteLineReader.Line? {
        if !pending.isEmpty { return pending.removeFirst() }
        return try lines.next()
    }

    /// Rejects the record's first line; the lines after it are read again.
    private func reject(_ taken: [ByteLineReader.Line], _ error: ArchiveRowError) -> ArchiveRecord {
        pending.insert(contentsOf: taken.dropFirst(), at: 0)
        number += 1
        return ArchiveRecord(number: number, line: taken[0].number, endOffset: taken[0].endOffset, content: .failure(error))
    }

    private func record(_ taken: [ByteLineReader.Line], broken: Bool) -> ArchiveRecord {
        number += 1
        let first = taken[0], last = taken[taken.count - 1]
        func make(_ content: Result<[String: String], ArchiveRowError>) -> ArchiveRecord {
            ArchiveRecord(number: number, line: first.number, endOffset: last.endOffset, content: content, endLine: last.number)
        }
        if broken { return make(.failure(.brokenQuoting)) }
        var joined: [UInt8] = []
        for (index, line) in taken.enumerated() {
            if index > 0 { joined.append(0x0A) }
            joined.append(contentsOf: line.bytes ?? [])
        }
        let text: String
        switch encoding.decode(joined) {
        case .success(let decoded): text = decoded
        case .failure(let error): return make(.failure(error))
        }
        guard let values = Self.fields(of: text, delimiter: Character(UnicodeScalar(delimiter))) else {
            return make(.failure(.brokenQuoting))
        }
        guard values.count == header.count else { return make(.failure(.wrongFieldCount(expected: header.count, found: values.count))) }
        var fields: [String: String] = [:]
        for (name, value) in zip(header, values) { fields[name] = value }
        return make(.success(fields))
    }

    /// The fields of one record, parsed by CSV.swift.
    static func fields(of text: String, delimiter: Character) -> [String]? {
        guard let scalar = delimiter.unicodeScalars.first,
              let reader = try? CSVReader(string: text, hasHeaderRow: false, delimiter: scalar) else { return nil }
        return reader.next()
    }

    /// Finds where a record ends: RFC 4180 quoting over bytes.
    struct Scanner {
        enum Result { case complete, openQuote, broken }
        private enum State { case fieldStart, unquoted, quoted, closingQuote }
        let delimiter: UInt8
        private var state = State.fieldStart
        private var broken = false

        init(delimiter: UInt8) { self.delimiter = delimiter }

        mutating func scan(_ line: [UInt8]) -> Result {
            state = .fieldStart
            broken = false
            return scan(continuation: line)
        }

        /// Scans the next line of a record whose quoted field is still open.
        mutating func scan(continuation line: [UInt8]) -> Result {
            for byte in line {
                switch state {
                case .fieldStart:
                    state = byte == 0x22 ? .quoted : byte == delimiter ? .fieldStart : .unquoted
                case .unquoted:
                    if byte == delimiter { state = .fieldStart }
                case .quoted:
                    if byte == 0x22 { state = .closingQuote }
                case .closingQuote:
                    if byte == 0x22 { state = .quoted }
                    else if byte == delimiter { state = .fieldStart }
                    else if byte != 0x0D { broken = true; state = .unquoted }
                }
            }
            if state == .quoted { return .openQuote }
            return broken ? .broken : .complete
        }
    }
}

import Foundation
