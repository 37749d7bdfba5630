import Foundation
import Logging
import PostgresNIO
import Profiles

extension PostgresProfileStore {
    public func recordBatch(_ writes: [TagWrite], checkpoint makeCheckpoint: @escaping @Sendable ([WriteOutcome]) throws -> MiningCheckpoint) async throws -> [WriteOutcome] {
        for write in writes { try write.validate() }
        let merger = self.merger
        return try await inTransaction { connection in
            // Every write's tenant's counter lock first, in order, as a single write takes it: events stay gap-free.
            for tenant in Set(writes.map(\.tenant)).sorted() {
                try await Self.lockCounter(connection, tenant: tenant, logger: self.logger)
            }
            var outcomes: [WriteOutcome] = []
            outcomes.reserveCapacity(writes.count)
            for write in writes { outcomes.append(try await Self.apply(connection, write, merger: merger, logger: self.logger)) }
            let checkpoint = try makeCheckpoint(outcomes)
            try checkpoint.validate()
            let state = ByteBuffer(bytes: checkpoint.state)
            try await connection.query("""
                INSERT INTO mining_checkpoints (tenant, run_id, file_index, records, line, byte_offset, rejects_bytes, state, finished, updated_at)
                VALUES (\(checkpoint.tenant), \(checkpoint.runID), \(checkpoint.fileIndex), \(Int64(checkpoint.records)), \(Int64(checkpoint.line)),
                        \(checkpoint.offset), \(checkpoint.rejectsBytes), \(state), \(checkpoint.finished), \(StoredJSON.millis(checkpoint.updatedAt)))
                ON CONFLICT (tenant, run_id) DO UPDATE SET file_index = excluded.file_index, records = excluded.records,
                    line = excluded.line, byte_offset = excluded.byte_offset, rejects_bytes = excluded.rejects_bytes,
                    state = excluded.state, finished = excluded.finished, updated_at = excluded.updated_at
                """, logger: self.logger)
            return outcomes
        }
    }

    public func miningCheckpoint(tenant: String, runID: String) async throws -> MiningCheckpoint? {
        let rows = try await client.query("""
            SELECT file_index, records, line, byte_offset, rejects_bytes, state, finished, updated_at
            FROM mining_checkpoints WHERE tenant = \(tenant) AND run_id = \(runID)
            """, logger: logger)
        for try await (fileIndex, records, line, offset, rejects, state, finished, updatedAt)
            in rows.decode((Int32, Int64, Int64, Int64, Int64, ByteBuffer, Bool, Int64).self) {
            return MiningCheckpoint(tenant: tenant, runID: runID, fileIndex: Int(fileIndex), records: Int(records), line: Int(line),
                                    offset: offset, rejectsBytes: rejects, state: Data(state.readableBytesView), finished: finished,
                                    updatedAt: Date(timeIntervalSince1970: Double(updatedAt) / 1000))
        }
        return nil
    }

    public func deleteMiningCheckpoint(tenant: String, runID: String) async throws {
        try await client.query("DELETE FROM mining_checkpoints WHERE tenant = \(tenant) AND run_id = \(runID)", logger: logger)
    }
}
