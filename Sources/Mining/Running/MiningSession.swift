import Foundation
import Profiles

/// One sitting of a run (the first, or one resume): reads, analyses in
/// parallel, and commits in input order. Used by one task only.
final class MiningSession {
    private let run: MiningRun
    private let runID: String
    private(set) var summary: MiningSummary
    private let rejects: RejectsFile
    private let startPosition: (file: Int, position: ArchivePosition)
    private let progress: @Sendable (MiningProgress) -> Void
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant
    private let elapsedBefore: Double
    private let sessionRowsBefore: Int
    private let fileSizes: [Int64]

    // Read and absorbed, not yet committed.
    private var pendingWrites: [TagWrite] = []
    private var pendingRows = 0
    private var lastCommit: ContinuousClock.Instant
    private var commits = 0
    /// The commit the store is working on while the next stretch is read and
    /// analysed; its outcomes are counted before the next one starts, so each
    /// checkpoint's state holds every commit before it.
    private var commitInFlight: Task<[WriteOutcome], any Error>?
    private var fileIndex = 0
    private var position = ArchivePosition.start
    private var fileBytesRead: Int64 = 0

    init(run: MiningRun, runID: String, summary: MiningSummary, rejects: RejectsFile, checkpoint: MiningCheckpoint?,
         startedAt: Date, progress: @escaping @Sendable (MiningProgress) -> Void) {
        self.run = run
        self.runID = runID
        self.summary = summary
        self.rejects = rejects
        self.progress = progress
        startPosition = checkpoint.map { ($0.fileIndex, ArchivePosition(records: $0.records, line: $0.line, offset: $0.offset)) }
            ?? (0, .start)
        began = clock.now
        lastCommit = began
        elapsedBefore = summary.elapsedSeconds
        sessionRowsBefore = summary.rowsRead
        fileSizes = run.inputs.map { ByteSources.fileSize(path: $0.path) }
    }

    /// Reads every file from the checkpoint on. Returns false when stopped early (`stopAfterCommits`).
    func readAll() async throws -> Bool {
        do {
            let finished = try await readFiles()
            try await settleCommit()
            if finished { report() }
            return finished
        } catch {
            // Never leave a commit running behind a failed sitting.
            _ = try? await commitInFlight?.value
            commitInFlight = nil
            throw error
        }
    }

    private func readFiles() async throws -> Bool {
        for index in startPosition.file..<run.inputs.count {
            fileIndex = index
            position = index == startPosition.file ? startPosition.position : .start
            let reader = try ArchiveReaders.open(run.inputs[index], mapping: run.mapping, at: position,
                                                 maxRecordBytes: run.maxRecordBytes)
            guard try await process(reader, input: run.inputs[index]) else { return false }
            fileIndex = index + 1
            position = .start
        }
        summary.finished = true
        guard summary.isBalanced else {
            throw MiningError.unbalanced(read: summary.rowsRead, analysed: summary.rowsAnalysed, rejected: summary.rowsRejected,
                                         otherShards: summary.rowsOtherShards)
        }
        try await commit()
        return true
    }

    private typealias Chunk = (sequence: Int, records: [ArchiveRecord], outcomes: [RowOutcome])

    /// One file: chunks go to the workers (at most two each in flight) and
    /// come back in any order; they are absorbed and committed in order. Eight
    /// chunks a worker in flight keep the workers busy while a commit waits on the store.
    private func process(_ reader: any ArchiveRecordReader, input: MiningRun.Input) async throws -> Bool {
        let analyser = RowAnalyser(analyzer: run.analyzer, mapping: run.mapping, shard: run.shard, tenant: run.tenant,
                                   defaultTime: summary.parameters.startedAt, maxTextBytes: run.maxTextBytes)
        let limit = run.workers * 8
        let chunkSize = run.chunkSize
        let name = input.name
        var readError: ArchiveError?
        let stopped = try await withThrowingTaskGroup(of: Chunk.self) { group -> Bool in
            var submitted = 0, next = 0, inFlight = 0
            var exhausted = false
            var ready: [Int: Chunk] = [:]
            while true {
                while !exhausted && inFlight < limit {
                    var records: [ArchiveRecord] = []
                    records.reserveCapacity(chunkSize)
                    do {
                        while records.count < chunkSize, let record = try reader.next() { records.append(record) }
                    } catch let error as ArchiveError {
                        readError = error
                    }
                    if records.count < chunkSize { exhausted = true }
                    if records.isEmpty { break }
                    let sequence = submitted
                    submitted += 1
                    inFlight += 1
                    group.addTask { (sequence, records, records.map { analyser.outcome(of: $0, file: name) }) }
                }
                guard inFlight > 0, let chunk = try await group.next() else { return false }
                inFlight -= 1
                ready[chunk.sequence] = chunk
                while let chunk = ready.removeValue(forKey: next) {
                    next += 1
                    try absorb(chunk, file: name)
                    fileBytesRead = reader.fileBytesRead
                    if pendingRows >= run.commitRows || clock.now - lastCommit >= .seconds(run.commitInterval) {
                        try await commit()
                        report()
                        if let stop = run.stopAfterCommits, commits >= stop {
                            group.cancelAll()
                            try await settleCommit()
                            return true
                        }
                    }
                }
            }
        }
        if stopped { return false }
        if let readError {
            try await commit()
            try await settleCommit()
            throw readError
        }
        return true
    }

    private func absorb(_ chunk: Chunk, file: String) throws {
        for (record, outcome) in zip(chunk.records, chunk.outcomes) {
            summary.rowsRead += 1
            switch outcome {
            case .otherShard:
                summary.rowsOtherShards += 1
            case .rejected(let line, let error):
                summary.reject(error)
                try rejects.append(file: file, line: line, record: record.number, error: error)
            case .analysed(let analysed):
                summary.add(analysed.row, analysed.analysis)
                if let write = analysed.write { pendingWrites.append(write) }
            }
            position = ArchivePosition(records: record.number, line: record.endLine, offset: record.endOffset)
            pendingRows += 1
        }
    }

    /// Starts committing the pending tag writes and the checkpoint after
    /// them, in one transaction, once the commit before has finished.
    private func commit() async throws {
        try await settleCommit()
        try rejects.sync()
        summary.elapsedSeconds = elapsedBefore + (clock.now - began) / .seconds(1)
        let base = summary
        let tenant = run.tenant, runID = runID, fileIndex = fileIndex, position = position, rejectsLength = rejects.length
        let checkpoint: @Sendable ([WriteOutcome]) throws -> MiningCheckpoint = { outcomes in
            var state = base
            Self.count(outcomes, into: &state)
            return MiningCheckpoint(tenant: tenant, runID: runID, fileIndex: fileIndex, records: position.records, line: position.line,
                                    offset: position.offset, rejectsBytes: rejectsLength, state: try Self.encoder.encode(state),
                                    finished: state.finished, updatedAt: Date())
        }
        let store = run.store, writes = pendingWrites
        commitInFlight = Task { try await store.recordBatch(writes, checkpoint: checkpoint) }
        pendingWrites.removeAll(keepingCapacity: true)
        pendingRows = 0
        lastCommit = clock.now
        commits += 1
    }

    /// Waits for the commit in flight, if any, and counts what it wrote.
    private func settleCommit() async throws {
        guard let task = commitInFlight else { return }
        commitInFlight = nil
        Self.count(try await task.value, into: &summary)
    }

    private static func count(_ outcomes: [WriteOutcome], into summary: inout MiningSummary) {
        for outcome in outcomes where !outcome.duplicate {
            summary.tagWrites += outcome.events.isEmpty ? 0 : 1
            summary.feedEvents += outcome.events.count
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private func report() {
        let before = fileSizes.prefix(fileIndex).reduce(0, +)
        let current = fileIndex < fileSizes.count ? min(fileBytesRead, fileSizes[fileIndex]) : 0
        progress(MiningProgress(bytesRead: before + current, bytesTotal: fileSizes.reduce(0, +), rowsRead: summary.rowsRead,
                                rowsAnalysed: summary.rowsAnalysed, rowsRejected: summary.rowsRejected,
                                rowsOtherShards: summary.rowsOtherShards, sessionRows: summary.rowsRead - sessionRowsBefore,
                                sessionSeconds: (clock.now - began) / .seconds(1),
                                file: fileIndex < run.inputs.count ? run.inputs[fileIndex].name : "", finished: summary.finished))
    }
}
