import Foundation
import GRDB
import Profiles

extension SQLiteProfileStore {
    public func recordBatch(_ writes: [TagWrite], checkpoint makeCheckpoint: @escaping @Sendable ([WriteOutcome]) throws -> MiningCheckpoint) async throws -> [WriteOutcome] {
        for write in writes { try write.validate() }
        let merger = self.merger
        return try await inWriteTransaction { db in
            let outcomes = try writes.map { try Self.apply(db, $0, merger: merger).outcome }
            let checkpoint = try makeCheckpoint(outcomes)
            try checkpoint.validate()
            try db.cachedStatement(sql: """
                INSERT INTO mining_checkpoints (tenant, run_id, file_index, records, line, byte_offset, rejects_bytes, state, finished, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, run_id) DO UPDATE SET file_index = excluded.file_index, records = excluded.records,
                    line = excluded.line, byte_offset = excluded.byte_offset, rejects_bytes = excluded.rejects_bytes,
                    state = excluded.state, finished = excluded.finished, updated_at = excluded.updated_at
                """).execute(arguments: [checkpoint.tenant, checkpoint.runID, checkpoint.fileIndex, checkpoint.records, checkpoint.line,
                                         checkpoint.offset, checkpoint.rejectsBytes, checkpoint.state, checkpoint.finished,
                                         StoredJSON.millis(checkpoint.updatedAt)])
            return outcomes
        }
    }

    public func miningCheckpoint(tenant: String, runID: String) async throws -> MiningCheckpoint? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT file_index, records, line, byte_offset, rejects_bytes, state, finished, updated_at
                FROM mining_checkpoints WHERE tenant = ? AND run_id = ?
                """, arguments: [tenant, runID]).map { row in
                MiningCheckpoint(tenant: tenant, runID: runID, fileIndex: row["file_index"], records: row["records"], line: row["line"],
                                 offset: row["byte_offset"], rejectsBytes: row["rejects_bytes"], state: row["state"],
                                 finished: row["finished"], updatedAt: Date(timeIntervalSince1970: Double(row["updated_at"] as Int64) / 1000))
            }
        }
    }

    public func deleteMiningCheckpoint(tenant: String, runID: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM mining_checkpoints WHERE tenant = ? AND run_id = ?", arguments: [tenant, runID])
        }
    }
}
