/// One record of an archive as read, before field mapping: a JSONL line, a
/// CSV row, or one record element of an XML file.
public struct ArchiveRecord: Sendable, Equatable {
    /// 1-based number of the record in its file (data rows only: a CSV
    /// header is not a record).
    public let number: Int
    /// 1-based line of the (decompressed) file where the record starts.
    public let line: Int
    /// Byte offset in the decompressed stream just after the record: where a
    /// resumed read of a line-based format starts.
    public let endOffset: Int64
    /// The record's fields by name, or why the record cannot be used.
    public let content: Result<[String: String], ArchiveRowError>
    /// The last line of the record (a quoted CSV field may span lines).
    public let endLine: Int

    public init(number: Int, line: Int, endOffset: Int64, content: Result<[String: String], ArchiveRowError>, endLine: Int? = nil) {
        self.number = number
        self.line = line
        self.endOffset = endOffset
        self.content = content
        self.endLine = endLine ?? line
    }
}

/// Why one record is rejected. The run goes on; the record goes to the
/// rejects file with its file, line and this code (never its content).
public enum ArchiveRowError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Bytes that are not UTF-8, at a byte offset into the record.
    case invalidUTF8(byteOffset: Int)
    /// A JSONL line that is not one JSON object.
    case notJSONObject
    /// A CSV row that cannot be parsed (an unterminated or stray quote).
    case brokenQuoting
    /// A CSV row with a different number of fields than the header.
    case wrongFieldCount(expected: Int, found: Int)
    /// A record or field over the size limit.
    case tooLarge(bytes: Int, limit: Int)
    /// The mapped text field is missing or empty.
    case missingText(field: String)
    /// A mapped field holds something that is not text (an object, a list).
    case notText(field: String)

    /// Stable code for the rejects file and the report.
    public var code: String {
        switch self {
        case .invalidUTF8: "row.invalid_utf8"
        case .notJSONObject: "row.not_json_object"
        case .brokenQuoting: "row.broken_quoting"
        case .wrongFieldCount: "row.wrong_field_count"
        case .tooLarge: "row.too_large"
        case .missingText: "row.missing_text"
        case .notText: "row.not_text"
        }
    }

    public var description: String {
        switch self {
        case .invalidUTF8(let offset): "invalid UTF-8 at byte \(offset) of the record"
        case .notJSONObject: "the line is not a JSON object"
        case .brokenQuoting: "broken CSV quoting"
        case .wrongFieldCount(let expected, let found): "\(found) fields where the header has \(expected)"
        case .tooLarge(let bytes, let limit): "\(bytes) bytes, over the limit of \(limit)"
        case .missingText(let field): "no text in field '\(field)'"
        case .notText(let field): "field '\(field)' is not text"
        }
    }

    /// The same in Chinese, for the report.
    public var descriptionZH: String { Self.codeDescriptions[code]?.zh ?? code }

    /// Every code with a short Chinese and English description (the report's table).
    public static let codeDescriptions: [String: (zh: String, en: String)] = [
        "row.invalid_utf8": ("非 UTF-8 字节", "bytes that are not UTF-8"),
        "row.not_json_object": ("不是 JSON 对象", "line is not a JSON object"),
        "row.broken_quoting": ("CSV 引号不匹配", "broken CSV quoting"),
        "row.wrong_field_count": ("字段数与表头不符", "field count differs from the header"),
        "row.too_large": ("超过大小上限", "over the size limit"),
        "row.missing_text": ("缺少文本字段", "no text in the text field"),
        "row.not_text": ("字段不是文本", "a mapped field is not text"),
    ]
}

/// A file-level problem: the file cannot be read on (or at all). The run
/// stops with this error after committing what it read before it.
public enum ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(file: String, reason: String)
    case readFailed(file: String, reason: String)
    /// The file is not UTF-8 but reads as GB18030/GBK.
    case looksGBK(file: String)
    /// A gzip stream that is corrupt or truncated.
    case corruptGzip(file: String, reason: String)
    /// A CSV file without a header line, or with duplicate/empty column names.
    case badHeader(file: String, reason: String)
    /// XML that is not well-formed; reading cannot go on past `line`.
    case malformedXML(file: String, line: Int, reason: String)
    /// XML with a document type declaration (entities, external references):
    /// refused, so that no entity is ever expanded or fetched (XXE, billion laughs).
    case xmlDoctypeForbidden(file: String, line: Int)
    /// XML nested deeper than the limit.
    case xmlTooDeep(file: String, line: Int, limit: Int)
    /// The format cannot be resumed at the recorded position.
    case cannotResume(file: String, reason: String)

    public var code: String {
        switch self {
        case .cannotOpen: "archive.cannot_open"
        case .readFailed: "archive.read_failed"
        case .looksGBK: "archive.looks_gbk"
        case .corruptGzip: "archive.corrupt_gzip"
        case .badHeader: "archive.bad_header"
        case .malformedXML: "archive.malformed_xml"
        case .xmlDoctypeForbidden: "archive.xml_doctype_forbidden"
        case .xmlTooDeep: "archive.xml_too_deep"
        case .cannotResume: "archive.cannot_resume"
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let file, let reason): "\(file): cannot open: \(reason) (无法打开文件)"
        case .readFailed(let file, let reason): "\(file): read failed: \(reason) (读取失败)"
        case .looksGBK(let file): "\(file): the file is not UTF-8 and looks GBK/GB18030-encoded; run with --encoding gbk (文件似为 GBK 编码，请加 --encoding gbk)"
        case .corruptGzip(let file, let reason): "\(file): corrupt gzip stream: \(reason) (gzip 数据损坏)"
        case .badHeader(let file, let reason): "\(file): bad CSV header: \(reason) (CSV 表头有误)"
        case .malformedXML(let file, let line, let reason): "\(file):\(line): XML is not well-formed: \(reason) (XML 格式错误)"
        case .xmlDoctypeForbidden(let file, let line): "\(file):\(line): XML with a DOCTYPE (entity declarations, external references) is refused for safety (出于安全考虑，拒绝含 DOCTYPE 的 XML)"
        case .xmlTooDeep(let file, let line, let limit): "\(file):\(line): XML nested deeper than \(limit) levels (XML 嵌套过深)"
        case .cannotResume(let file, let reason): "\(file): cannot resume: \(reason) (无法续跑)"
        }
    }
}

/// Reads the records of one archive file, in order, one at a time.
public protocol ArchiveRecordReader: AnyObject {
    /// The next record, or nil at the end of the file.
    /// - Throws: `ArchiveError` when the file cannot be read on.
    func next() throws(ArchiveError) -> ArchiveRecord?
    /// Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress.
    var fileBytesRead: Int64 { get }
}
