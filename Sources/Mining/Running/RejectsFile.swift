import Foundation

/// The rejects file: one JSON line per rejected row — file, line, record,
/// code and reason, never the row's content. On resume it is cut back to the
/// length the checkpoint recorded, so a row rejected after the checkpoint
/// and rejected again on resume is listed once.
final class RejectsFile {
    let url: URL
    private let handle: FileHandle
    private(set) var length: Int64
    private var unsynced = false
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Opens (creating) `url`, cut to `length` bytes.
    init(url: URL, length: Int64) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        let found = Int64(try handle.seekToEnd())
        if found < length { throw MiningError.rejectsFileShorter(path: url.path, expected: length, found: found) }
        try handle.truncate(atOffset: UInt64(length))
        try handle.seek(toOffset: UInt64(length))
        self.url = url
        self.length = length
    }

    struct Entry: Encodable {
        let file: String
        let line: Int
        let record: Int
        let code: String
        let reason: String
    }

    func append(file: String, line: Int, record: Int, error: ArchiveRowError) throws {
        var data = try encoder.encode(Entry(file: file, line: line, record: record, code: error.code, reason: error.description))
        data.append(0x0A)
        try handle.write(contentsOf: data)
        length += Int64(data.count)
        unsynced = true
    }

    /// Makes what was appended durable before the checkpoint that counts it commits.
    func sync() throws {
        guard unsynced else { return }
        try handle.synchronize()
        unsynced = false
    }

    deinit { try? handle.close() }
}
