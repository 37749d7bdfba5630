import Foundation
import Profiles
import Yams

/// How an archive's records map onto what mining needs: which field holds
/// the text, the row id, the customer id and the time; the format, the
/// encoding, the CSV delimiter and the XML record element. Read from a small
/// YAML file (`--mapping FILE`) and overridden by flags:
///
/// ```yaml
/// version: 1
/// format: csv            # jsonl | csv | xml (default: from the file name)
/// encoding: gbk          # utf-8 (default) | gbk
/// fields:
///   text: content        # default: text
///   id: review_id        # default: id (absent → the file and line)
///   customer: user_id    # default: customer_id (absent → no tags written)
///   time: created_at     # default: time (absent → no time chart)
/// csv:
///   delimiter: ";"       # default: ,
/// xml:
///   record: review       # default: every child of the root element
/// ```
public struct ArchiveMapping: Sendable, Equatable {
    public var format: ArchiveFormat?
    public var encoding: ArchiveEncoding = .utf8
    public var textField = "text"
    public var idField = "id"
    public var customerField = "customer_id"
    public var timeField = "time"
    public var delimiter: Character = ","
    public var recordElement: String?

    public init() {}

    /// The fields as shown in the report's run parameters.
    public var shownFields: [String: String] {
        ["text": textField, "id": idField, "customer": customerField, "time": timeField]
    }

    /// A CSV delimiter: one ASCII character other than a quote or a line break; nil otherwise.
    public static func delimiter(_ text: String) -> Character? {
        guard text.count == 1, let character = text.first, character.isASCII, character != "\"", character != "\n" else { return nil }
        return character
    }

    /// Reads a mapping file.
    /// - Throws: `ConfigurationError` listing every problem in the file.
    public static func load(_ url: URL) throws(ConfigurationError) -> ArchiveMapping {
        try ConfigDocument(contentsOf: url).value(read)
    }

    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> ArchiveMapping {
        try ConfigDocument(yaml: yaml, file: file).value(read)
    }

    static func read(_ document: ConfigDocument) -> ArchiveMapping {
        var mapping = ArchiveMapping()
        guard let root = document.root else { return mapping }
        let top = document.fields(root, at: "", allowed: ["version", "format", "encoding", "fields", "csv", "xml"])
        if let node = top["format"] { mapping.format = document.choice(node, at: "format", of: ArchiveFormat.self) }
        if let node = top["encoding"], let encoding = document.choice(node, at: "encoding", of: ArchiveEncoding.self) {
            mapping.encoding = encoding
        }
        if let fields = document.mapping(top["fields"], at: "fields") {
            let names = document.fields(fields, at: "fields", allowed: ["text", "id", "customer", "time"])
            func name(_ key: String) -> String? {
                guard let node = names[key], let value = document.string(node, at: "fields.\(key)") else { return nil }
                if value.isEmpty { document.problem("fields.\(key)", node, "must not be empty (不能为空)") }
                return value
            }
            if let value = name("text") { mapping.textField = value }
            if let value = name("id") { mapping.idField = value }
            if let value = name("customer") { mapping.customerField = value }
            if let value = name("time") { mapping.timeField = value }
        }
        if let csv = document.mapping(top["csv"], at: "csv") {
            let options = document.fields(csv, at: "csv", allowed: ["delimiter"])
            if let node = options["delimiter"], let value = document.string(node, at: "csv.delimiter") {
                if let character = delimiter(value) {
                    mapping.delimiter = character
                } else {
                    document.problem("csv.delimiter", node, "must be one ASCII character other than a quote (须为单个 ASCII 字符)")
                }
            }
        }
        if let xml = document.mapping(top["xml"], at: "xml") {
            let options = document.fields(xml, at: "xml", allowed: ["record"])
            if let node = options["record"] { mapping.recordElement = document.string(node, at: "xml.record") }
        }
        return mapping
    }
}

/// The archive formats `xinsheng mine` reads.
public enum ArchiveFormat: String, Sendable, Codable, CaseIterable {
    case jsonl, csv, xml

    /// The format a file name suggests (`.jsonl`, `.ndjson`, `.csv`, `.xml`, each optionally `.gz`).
    public static func guess(fromName name: String) -> ArchiveFormat? {
        var lower = name.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".xml") { return .xml }
        return nil
    }
}
