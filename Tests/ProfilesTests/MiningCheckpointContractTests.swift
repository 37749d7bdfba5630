import Foundation
import Testing
import Taxonomy
@testable import Profiles

/// `recordBatch` on every store: the writes and the checkpoint commit
/// together or not at all, and a checkpoint reads back as written.
@Suite struct MiningCheckpointContractTests {
    typealias F = ContractFixtures

    static func checkpoint(records: Int, outcomes: [WriteOutcome], finished: Bool = false) -> MiningCheckpoint {
        let events = outcomes.reduce(0) { $0 + $1.events.count }
        return MiningCheckpoint(tenant: "bank-a", runID: "mine-1", fileIndex: 1, records: records, line: records + 1,
                                offset: Int64(records * 100), rejectsBytes: 42, state: Data("{\"events\":\(events)}".utf8),
                                finished: finished, updatedAt: F.t0)
    }

    @Test(arguments: StoreKind.available)
    func batchAndCheckpoint_commitTogether(kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.miningCheckpoint(tenant: "bank-a", runID: "mine-1") == nil)
            let writes = [F.write("file:a#1", [(.homeRenovation, .present, 0.7)]), F.write("file:a#2", customer: "c-2", [(.education, .present, 0.8)]),
                          F.write("file:a#1", [(.carPurchase, .present, 0.9)])]
            let outcomes = try await store.recordBatch(writes) { Self.checkpoint(records: 2, outcomes: $0) }
            #expect(outcomes.map(\.duplicate) == [false, false, true])
            #expect(outcomes.map(\.events.count) == [1, 1, 0])
            let saved = try #require(try await store.miningCheckpoint(tenant: "bank-a", runID: "mine-1"))
            #expect(saved == Self.checkpoint(records: 2, outcomes: outcomes))
            #expect(String(decoding: saved.state, as: UTF8.self) == "{\"events\":2}")
            #expect(try await store.miningCheckpoint(tenant: "bank-b", runID: "mine-1") == nil)

            // A checkpoint that cannot be made rolls the batch back: no tag, no event, no key.
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                _ = try await store.recordBatch([F.write("file:a#3", customer: "c-3", [(.retirement, .present, 0.9)])]) { _ in throw Refused() }
            }
            #expect(try await store.tags(tenant: "bank-a", customerID: "c-3").isEmpty)
            #expect(try await store.lastSequence(tenant: "bank-a") == 2)
            #expect(try await store.miningCheckpoint(tenant: "bank-a", runID: "mine-1") == saved)
            let retried = try await store.recordBatch([F.write("file:a#3", customer: "c-3", [(.retirement, .present, 0.9)])]) {
                Self.checkpoint(records: 3, outcomes: $0, finished: true)
            }
            #expect(retried.first?.events.map(\.sequence) == [3])
            #expect(try await store.miningCheckpoint(tenant: "bank-a", runID: "mine-1")?.finished == true)

            try await store.deleteMiningCheckpoint(tenant: "bank-a", runID: "mine-1")
            #expect(try await store.miningCheckpoint(tenant: "bank-a", runID: "mine-1") == nil)
        }
    }
}
