import Taxonomy

/// `--shard K/N`: this copy processes the records whose stable hash falls
/// in part K of N. The hash is of the file's name and the record's number,
/// so every copy agrees on the split without talking to the others, and
/// every record (bad ones too) belongs to exactly one shard.
public struct MiningShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(MiningError) {
        guard count >= 1, (1...count).contains(index) else { throw .badShard("\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses "K/N".
    public init(parsing text: String) throws(MiningError) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw .badShard(text) }
        try self.init(index: index, count: count)
    }

    public func owns(file: String, record: Int) -> Bool {
        if count == 1 { return true }
        let hash = FNV1a.hash(Array("\(file)#\(record)".utf8))
        return Int(hash % UInt64(count)) == index - 1
    }

    public var description: String { "\(index)/\(count)" }
}

/// Why a mining run cannot start or go on (file problems are `ArchiveError`).
public enum MiningError: Error, Sendable, Equatable, CustomStringConvertible {
    case badShard(String)
    case unknownFormat(file: String)
    case interruptedRunExists(records: Int, file: String)
    case rejectsFileShorter(path: String, expected: Int64, found: Int64)
    case unbalanced(read: Int, analysed: Int, rejected: Int, otherShards: Int)

    public var code: String {
        switch self {
        case .badShard: "mining.bad_shard"
        case .unknownFormat: "mining.unknown_format"
        case .interruptedRunExists: "mining.interrupted_run_exists"
        case .rejectsFileShorter: "mining.rejects_file_shorter"
        case .unbalanced: "mining.unbalanced"
        }
    }

    public var description: String {
        switch self {
        case .badShard(let text):
            "--shard must be K/N with 1 ≤ K ≤ N, got '\(text)' (分片参数应为 K/N)"
        case .unknownFormat(let file):
            "\(file): cannot tell the format from the name; use --format jsonl|csv|xml (无法识别文件格式)"
        case .interruptedRunExists(let records, let file):
            "an interrupted run of these files stopped after record \(records) of \(file); continue it with --resume or start over with --restart (存在中断的任务，请用 --resume 续跑或 --restart 重来)"
        case .rejectsFileShorter(let path, let expected, let found):
            "\(path) is \(found) bytes but the checkpoint recorded \(expected); it was changed since the run stopped (拒收文件已被改动)"
        case .unbalanced(let read, let analysed, let rejected, let other):
            "rows read (\(read)) ≠ analysed (\(analysed)) + rejected (\(rejected)) + other shards (\(other)) (行数核对失败)"
        }
    }
}
