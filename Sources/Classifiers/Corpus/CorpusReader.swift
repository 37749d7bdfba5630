import Foundation

/// Reads JSONL corpus and gold files.
public enum CorpusReader {
    /// Every `*.jsonl` file under a directory (recursively, sorted by path),
    /// `*.ends.jsonl` companions excluded.
    public static func lineFiles(in directory: URL) throws -> [URL] {
        try jsonlFiles(in: directory).filter { !$0.lastPathComponent.hasSuffix(".ends.jsonl") }
    }

    /// Every `*.ends.jsonl` file under a directory.
    public static func endFiles(in directory: URL) throws -> [URL] {
        try jsonlFiles(in: directory).filter { $0.lastPathComponent.hasSuffix(".ends.jsonl") }
    }

    public static func jsonlFiles(in directory: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw CorpusError.cannotRead(path: directory.path)
        }
        var files: [URL] = []
        for case let url as URL in enumerator where url.pathExtension == "jsonl" {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The lines of one file. Blank lines are skipped; anything else that is
    /// not a JSON object with `id` and `text` is an error naming `file:line`.
    public static func read(_ url: URL, displayPath: String? = nil) throws -> [LocatedCorpusLine] {
        let name = displayPath ?? url.path
        return try decodeLines(CorpusLine.self, at: url, name: name).map {
            LocatedCorpusLine(line: $0.value, file: name, lineNumber: $0.line)
        }
    }

    /// Decodes each non-blank line of a JSON Lines file (UTF-8, optional BOM,
    /// LF or CRLF), with its 1-based line number.
    static func decodeLines<T: Decodable>(_ type: T.Type, at url: URL, name: String) throws -> [(value: T, line: Int)] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CorpusError.cannotRead(path: name) }
        let decoder = JSONDecoder()
        var result: [(T, Int)] = []
        var lineNumber = 0
        for slice in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Data(slice)
            if bytes.last == 0x0D { bytes.removeLast() }
            if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                result.append((try decoder.decode(T.self, from: bytes), lineNumber))
            } catch {
                throw CorpusError.malformedLine(file: name, line: lineNumber, reason: describe(error))
            }
        }
        return result
    }

    /// The lines of every line file under a directory (or of one file).
    public static func readAll(_ url: URL) throws -> [LocatedCorpusLine] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CorpusError.cannotRead(path: url.path)
        }
        if !isDirectory.boolValue { return try read(url) }
        return try lineFiles(in: url).flatMap { try read($0, displayPath: relative($0, to: url)) }
    }

    public static func readEnds(_ url: URL, displayPath: String? = nil) throws -> [(end: ConversationEnd, line: Int)] {
        try decodeLines(ConversationEnd.self, at: url, name: displayPath ?? url.path).map { ($0.value, $0.line) }
    }

    public static func relative(_ url: URL, to base: URL) -> String {
        let basePath = base.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(basePath + "/") ? String(path.dropFirst(basePath.count + 1)) : path
    }

    /// A decoding error in a sentence, naming keys, never values.
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "not a corpus line"
        }
    }
}
