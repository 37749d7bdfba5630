import Analysis
import Foundation
import Profiles
import Taxonomy

/// One `xinsheng mine` run: reads the archive files in order, analyses their
/// rows on `workers` parallel tasks, and commits in input order — the tag
/// writes of a stretch of rows together with the checkpoint after them, in
/// one store transaction. Memory is bounded by the chunks in flight
/// (`workers × 8` chunks of `chunkSize` records), whatever the file size.
public struct MiningRun: Sendable {
    public struct Input: Sendable {
        /// Path to open, and the name used in keys, provenance and the rejects file (the base name).
        public let path: String
        public let name: String
        public let format: ArchiveFormat

        public init(path: String, format: ArchiveFormat) {
            self.path = path
            self.name = URL(fileURLWithPath: path).lastPathComponent
            self.format = format
        }
    }

    public let inputs: [Input]
    public let mapping: ArchiveMapping
    public let shard: MiningShard?
    public let tenant: String
    public let analyzer: TurnAnalyzer
    public let store: any ProfileStore
    public var workers: Int
    public var chunkSize = 256
    /// Commit at least this often (rows), and at least every `commitInterval` seconds.
    public var commitRows = 4096
    public var commitInterval = 1.0
    public var maxRecordBytes = 1_048_576
    public var maxTextBytes = 60_000
    /// Stop (as if killed) after this many commits — tests of resume only.
    public var stopAfterCommits: Int?

    public init(inputs: [Input], mapping: ArchiveMapping, shard: MiningShard?, tenant: String, analyzer: TurnAnalyzer,
                store: any ProfileStore, workers: Int) {
        self.inputs = inputs
        self.mapping = mapping
        self.shard = shard
        self.tenant = tenant
        self.analyzer = analyzer
        self.store = store
        self.workers = max(1, workers)
    }

    /// The run's identity: its files (name, size), format, mapping and shard.
    /// A changed file or setting is a different run, never resumed by mistake.
    public var runID: String {
        var hasher = FNV1a()
        for input in inputs {
            hasher.combine(bytes: Array("\(input.name)|\(ByteSources.fileSize(path: input.path))|\(input.format.rawValue)|".utf8))
        }
        let fields = mapping.shownFields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        hasher.combine(bytes: Array("\(fields)|\(mapping.encoding.rawValue)|\(mapping.delimiter)|\(mapping.recordElement ?? "")|".utf8))
        hasher.combine(bytes: Array("\(shard?.description ?? "all")".utf8))
        return "mine-" + hasher.hex
    }

    public enum Start: Sendable {
        /// Fail when an interrupted run of the same inputs exists.
        case fresh
        /// Continue the interrupted run; start from the top when there is none
        /// (so a scheduler can retry a job with the same command line).
        case resume
        /// Forget any earlier run of the same inputs and start from the top.
        case restart
    }

    /// What a finished run leaves: the summary, and where the rejects are.
    public struct Result: Sendable {
        public let summary: MiningSummary
        public let rejectsFile: URL
        /// False when the run stopped early (`stopAfterCommits`).
        public let finished: Bool
        /// True when this sitting continued an interrupted run.
        public let resumed: Bool
    }
}

extension MiningRun {
    /// Runs to the end (or to `stopAfterCommits`).
    /// - Parameters:
    ///   - rejectsFile: where rejected rows are listed.
    ///   - now: the clock (the run's start dates rows without a time field).
    ///   - progress: called after every commit and at the end.
    public func run(start: Start, rejectsFile rejectsURL: URL, now: @Sendable () -> Date = Date.init,
                    progress: @escaping @Sendable (MiningProgress) -> Void = { _ in }) async throws -> Result {
        let runID = self.runID
        var checkpoint = try await store.miningCheckpoint(tenant: tenant, runID: runID)
        switch start {
        case .restart:
            if checkpoint != nil { try await store.deleteMiningCheckpoint(tenant: tenant, runID: runID) }
            checkpoint = nil
        case .resume:
            break
        case .fresh:
            if let found = checkpoint {
                if !found.finished {
                    throw MiningError.interruptedRunExists(records: found.records, file: inputs[min(found.fileIndex, inputs.count - 1)].name)
                }
                try await store.deleteMiningCheckpoint(tenant: tenant, runID: runID)
                checkpoint = nil
            }
        }
        var summary: MiningSummary
        if let checkpoint {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .millisecondsSince1970
            summary = try decoder.decode(MiningSummary.self, from: checkpoint.state)
            if !summary.finished { summary.resumes += 1 }
        } else {
            summary = MiningSummary(parameters: .init(
                files: inputs.map(\.name), format: Set(inputs.map(\.format.rawValue)).sorted().joined(separator: "+"),
                mapping: mapping.shownFields, shard: shard?.description, tenant: tenant, modelVersion: analyzer.model.version,
                lexiconVersion: analyzer.processor.segmenter.lexicon.fingerprint, workers: workers, startedAt: now()))
        }
        let rejects = try RejectsFile(url: rejectsURL, length: checkpoint?.rejectsBytes ?? 0)
        if summary.finished { return Result(summary: summary, rejectsFile: rejectsURL, finished: true, resumed: false) }
        let session = MiningSession(run: self, runID: runID, summary: summary, rejects: rejects, checkpoint: checkpoint,
                                    startedAt: now(), progress: progress)
        let finished = try await session.readAll()
        return Result(summary: session.summary, rejectsFile: rejectsURL, finished: finished, resumed: checkpoint != nil)
    }
}
