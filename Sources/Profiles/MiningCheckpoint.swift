import Foundation

/// How far a batch mining run has got, committed in the same transaction as
/// the need-tags of the rows it covers: after a crash the run resumes here,
/// and no row is analysed twice or lost.
public struct MiningCheckpoint: Sendable, Equatable {
    public let tenant: String
    /// Identifies the run: a hash of its inputs, mapping and shard.
    public let runID: String
    /// Index (0-based) of the input file being read.
    public var fileIndex: Int
    /// Records of that file done, the line they end on, the byte offset after them.
    public var records: Int
    public var line: Int
    public var offset: Int64
    /// Length of the rejects file at this point (it is cut back to this on resume).
    public var rejectsBytes: Int64
    /// The run's own state at this point (its report summary, as JSON).
    public var state: Data
    public var finished: Bool
    public var updatedAt: Date

    public init(tenant: String, runID: String, fileIndex: Int, records: Int, line: Int, offset: Int64, rejectsBytes: Int64,
                state: Data, finished: Bool, updatedAt: Date) {
        self.tenant = tenant
        self.runID = runID
        self.fileIndex = fileIndex
        self.records = records
        self.line = line
        self.offset = offset
        self.rejectsBytes = rejectsBytes
        self.state = state
        self.finished = finished
        self.updatedAt = updatedAt
    }

    /// Checks what a store must never accept.
    public func validate() throws(ProfileStoreError) {
        if tenant.isEmpty || tenant.count > 64 { throw .invalid(field: "tenant", reason: "1–64 characters") }
        if runID.isEmpty || runID.count > 128 { throw .invalid(field: "run_id", reason: "1–128 characters") }
        if fileIndex < 0 || records < 0 || line < 0 || offset < 0 || rejectsBytes < 0 {
            throw .invalid(field: "checkpoint", reason: "positions are never negative")
        }
    }
}
