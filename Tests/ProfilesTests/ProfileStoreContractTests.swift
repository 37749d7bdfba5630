import Foundation
import Testing
import Taxonomy
@testable import Profiles
@testable import ProfilesSQLite
import ProfilesPostgres

/// One contract, every store: in-memory SQLite, a temporary SQLite file and
/// a real PostgreSQL server (`POSTGRES_URL`, each test in a fresh schema).
/// Each test runs once per store kind.
///
/// Without `POSTGRES_URL` the PostgreSQL runs are left out locally, but when
/// `XINSHENG_REQUIRE_POSTGRES=1` (CI sets it) they run and fail loudly:
/// a contract test must never skip silently in CI.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqliteMemory = "SQLite in memory"
    case sqliteFile = "SQLite file (WAL)"
    case postgres = "PostgreSQL"

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var postgresRequired: Bool { ProcessInfo.processInfo.environment["XINSHENG_REQUIRE_POSTGRES"] == "1" }

    /// The kinds this run covers.
    static var available: [StoreKind] {
        postgresURL != nil || postgresRequired ? allCases : [.sqliteMemory, .sqliteFile]
    }

    /// Runs `body` against a fresh store of this kind, then removes the store.
    func withStore(_ body: (any ProfileStore) async throws -> Void) async throws {
        let (store, cleanup) = try await make()
        do {
            try await body(store)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    func make(policy: TagPolicy = ContractFixtures.policy) async throws -> (store: any ProfileStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqliteMemory:
            return (try SQLiteProfileStore(inMemoryWith: policy), {})
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-store-\(UUID().uuidString)")
            let store = try SQLiteProfileStore(path: directory.appendingPathComponent("profiles.sqlite").path, policy: policy)
            return (store, { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            let url = try #require(Self.postgresURL, "POSTGRES_URL is not set but XINSHENG_REQUIRE_POSTGRES=1: start PostgreSQL (scripts/postgres-local.sh)")
            let schema = "contract_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let store = try await PostgresProfileStore(url: url, policy: policy, schema: schema)
            return (store, {
                try? await store.dropSchema(schema)
                store.shutdown()
            })
        }
    }
}

enum ContractFixtures {
    static let policy = TagPolicy(ttlDays: Dictionary(uniqueKeysWithValues: Need.allCases.map { ($0, 30) }), provenanceKept: 3)
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let migrations = ["0001-need-tags-feed-profiles", "0002-offer-contacts", "0003-mining-checkpoints"]

    static func contact(_ key: String, tenant: String = "bank-a", customer: String = "c-1", offer: String = "large_cd",
                        outcome: OfferOutcome = .rejected, daysAfterT0: Double = 0) -> OfferContact {
        OfferContact(tenant: tenant, customerID: customer, offerID: offer, kind: .deposit, channel: .agent, outcome: outcome,
                     at: t0.addingTimeInterval(daysAfterT0 * 86_400), key: key)
    }

    static func write(_ key: String, tenant: String = "bank-a", customer: String = "c-1", at date: Date = t0,
                      _ observations: [(Need, NeedObservation.Stance, Double)]) -> TagWrite {
        TagWrite(tenant: tenant, customerID: customer, idempotencyKey: key, source: .conversation(id: "conv-1", turn: 1),
                 observedAt: date, modelVersion: "model-test", lexiconVersion: "lexicon-test",
                 observations: observations.map {
                     NeedObservation(need: $0.0, stance: $0.1, confidence: $0.2, evidence: [MaskedEvidence(start: 0, end: 2, text: "装修")])
                 })
    }
}

@Suite struct ProfileStoreContractTests {
    typealias F = ContractFixtures

    @Test(arguments: StoreKind.available)
    func tagLifecycle_addStrengthenWithdraw_withOneEventEach(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let added = try await store.record(F.write("k1", [(.homeRenovation, .present, 0.7)]))
            #expect(added.events.map(\.kind) == [.added])
            #expect(added.events.map(\.sequence) == [1])
            let later = F.t0.addingTimeInterval(86_400)
            let strengthened = try await store.record(F.write("k2", at: later, [(.homeRenovation, .present, 0.9)]))
            #expect(strengthened.events.map(\.kind) == [.strengthened])
            #expect(strengthened.events.first?.tag.confidence == 0.9)
            #expect(strengthened.events.first?.tag.firstSeen == F.t0)
            #expect(strengthened.events.first?.tag.lastSeen == later)
            #expect(strengthened.events.first?.tag.expiresAt == later.addingTimeInterval(30 * 86_400))
            let withdrawn = try await store.record(F.write("k3", at: later, [(.homeRenovation, .withdrawn, 0.8)]))
            #expect(withdrawn.events.map(\.kind) == [.withdrawn])
            #expect(withdrawn.events.map(\.sequence) == [3])

            let tags = try await store.tags(tenant: "bank-a", customerID: "c-1")
            #expect(tags.map(\.status) == [.withdrawn])
            #expect(tags.first?.provenance.count == 3)
            #expect(tags.first?.provenance.last?.evidence.first?.text == "装修")
            #expect(tags.first?.provenance.first?.modelVersion == "model-test")
            // The feed carries each change's own observation, not the history.
            let events = try await store.feed(tenant: "bank-a", after: 0, limit: 10)
            #expect(events.map { $0.tag.provenance.count } == [1, 1, 1])
            #expect(events.last?.tag == tags.first?.published)
            #expect(events.last?.tag.provenance.first?.source == tags.first?.provenance.last?.source)
            // Re-raised after withdrawal: added again.
            let again = try await store.record(F.write("k4", at: later, [(.homeRenovation, .present, 0.6)]))
            #expect(again.events.map(\.kind) == [.added])
        }
    }

    @Test(arguments: StoreKind.available)
    func sameKeyTwice_changesNothingAndPublishesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let first = try await store.record(F.write("conv:1:3", [(.carPurchase, .present, 0.8), (.education, .present, 0.6)]))
            #expect(first.events.count == 2 && !first.duplicate)
            let tagsBefore = try await store.tags(tenant: "bank-a", customerID: "c-1")
            let second = try await store.record(F.write("conv:1:3", at: F.t0.addingTimeInterval(60), [(.carPurchase, .present, 0.99)]))
            #expect(second.duplicate)
            #expect(second.events.isEmpty)
            #expect(try await store.lastSequence(tenant: "bank-a") == 2)
            #expect(try await store.tags(tenant: "bank-a", customerID: "c-1") == tagsBefore)
        }
    }

    @Test(arguments: StoreKind.available)
    func aWriteThatChangesNothing_isStillRemembered(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let nothing = try await store.record(F.write("k1", [(.travelOverseas, .withdrawn, 0.9)]))
            #expect(nothing.events.isEmpty && !nothing.duplicate)
            #expect(try await store.record(F.write("k1", [(.travelOverseas, .withdrawn, 0.9)])).duplicate)
            #expect(try await store.tags(tenant: "bank-a", customerID: "c-1").isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func tenants_haveTheirOwnSequencesAndNeverSeeEachOther(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.record(F.write("k", tenant: "bank-a", [(.retirement, .present, 0.8)]))
            _ = try await store.record(F.write("k", tenant: "bank-b", [(.retirement, .present, 0.8), (.taxPlanning, .present, 0.7)]))
            #expect(try await store.feed(tenant: "bank-a", after: 0, limit: 100).map(\.sequence) == [1])
            #expect(try await store.feed(tenant: "bank-b", after: 0, limit: 100).map(\.sequence) == [1, 2])
            #expect(try await store.feed(tenant: "bank-a", after: 0, limit: 100).allSatisfy { $0.tenant == "bank-a" })
            #expect(try await store.tags(tenant: "bank-c", customerID: "c-1").isEmpty)
            #expect(try await store.tags(tenant: "bank-a", customerID: "c-1").map(\.need) == [.retirement])
        }
    }

    @Test(arguments: StoreKind.available)
    func eightConcurrentWriters_leaveAGapFreeOrderedFeed(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let writers = 8, writesEach = 30
            let published = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var count = 0
                        for index in 0..<writesEach {
                            let need = Need.allCases[(writer + index) % Need.allCases.count]
                            let stance: NeedObservation.Stance = index % 5 == 4 ? .withdrawn : .present
                            let outcome = try await store.record(F.write("w\(writer)-\(index)", customer: "c-\(index % 4)",
                                                                         at: F.t0.addingTimeInterval(Double(index)), [(need, stance, 0.7)]))
                            count += outcome.events.count
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let feed = try await store.feed(tenant: "bank-a", after: 0, limit: 10_000)
            #expect(feed.count == published)
            #expect(feed.map(\.sequence) == Array(1...Int64(published)))
            #expect(Set(feed.map(\.eventID)).count == feed.count)
            #expect(try await store.lastSequence(tenant: "bank-a") == Int64(published))
            // Every tag equals the tag of its last event (which carries only the newest observation).
            for customer in 0..<4 {
                for tag in try await store.tags(tenant: "bank-a", customerID: "c-\(customer)") {
                    let last = feed.last { $0.tag.customerID == tag.customerID && $0.tag.need == tag.need }
                    #expect(last?.tag == tag.published)
                }
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func feed_replaysIdentically_fromAnyCursor(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for (index, need) in Need.allCases.prefix(6).enumerated() {
                _ = try await store.record(F.write("k\(index)", [(need, .present, 0.5)]))
            }
            let all = try await store.feed(tenant: "bank-a", after: 0, limit: 100)
            #expect(try await store.feed(tenant: "bank-a", after: 0, limit: 100) == all)
            #expect(try await store.feed(tenant: "bank-a", after: 2, limit: 2) == Array(all[2..<4]))
            #expect(try await store.feed(tenant: "bank-a", after: 6, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func expiry_publishesOnce_evenWhenSweptConcurrently(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.record(F.write("k1", [(.travelOverseas, .present, 0.8)]))
            _ = try await store.record(F.write("k2", customer: "c-2", [(.carPurchase, .present, 0.8)]))
            let early = try await store.expire(now: F.t0.addingTimeInterval(29 * 86_400))
            #expect(early.isEmpty)
            let late = F.t0.addingTimeInterval(31 * 86_400)
            async let first = store.expire(now: late)
            async let second = store.expire(now: late)
            let swept = try await first + second
            #expect(swept.map(\.kind) == [.expired, .expired])
            #expect(try await store.expire(now: late).isEmpty)
            let tags = try await store.tags(tenant: "bank-a", customerID: "c-1")
            #expect(tags.map(\.status) == [.expired])
            #expect(try await store.feed(tenant: "bank-a", after: 0, limit: 10).map(\.sequence) == [1, 2, 3, 4])
        }
    }

    @Test(arguments: StoreKind.available)
    func profiles_roundTrip(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let profile = CustomerProfile(tenant: "bank-a", customerID: "c-9", ageBand: "35-44", segment: "affluent",
                                          productsHeld: ["mortgage", "credit_card"], marketingConsent: [.sms: true, .phone: false],
                                          timezone: "Asia/Urumqi")
            try await store.upsert(profile)
            #expect(try await store.profile(tenant: "bank-a", customerID: "c-9") == profile)
            #expect(try await store.profile(tenant: "bank-b", customerID: "c-9") == nil)
            var changed = profile
            changed.segment = "private"
            try await store.upsert(changed)
            #expect(try await store.profile(tenant: "bank-a", customerID: "c-9")?.segment == "private")
        }
    }

    @Test(arguments: StoreKind.available)
    func invalidWrites_areRefusedWithTheField(kind: StoreKind) async throws {
        try await kind.withStore { (store: any ProfileStore) async throws -> Void in
            await #expect(throws: ProfileStoreError.invalid(field: "tenant", reason: "1–64 characters")) {
                try await store.record(F.write("k", tenant: "", [(.education, .present, 0.5)]))
            }
            await #expect(throws: ProfileStoreError.invalid(field: "confidence", reason: "between 0 and 1")) {
                try await store.record(F.write("k", [(.education, .present, 1.5)]))
            }
            #expect(try await store.lastSequence(tenant: "bank-a") == 0)
        }
    }

    @Test(arguments: StoreKind.available)
    func offerContacts_areKeptOncePerKey_andReadBackInTimeOrder(kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.recordContact(F.contact("fb-2", offer: "large_cd", outcome: .accepted, daysAfterT0: 2)))
            #expect(try await store.recordContact(F.contact("fb-1", offer: "car_installment", outcome: .rejected, daysAfterT0: 1)))
            // The same key again, even with another outcome, keeps the first.
            #expect(try await !store.recordContact(F.contact("fb-1", offer: "car_installment", outcome: .accepted, daysAfterT0: 1)))
            #expect(try await store.recordContact(F.contact("fb-3", customer: "c-2", daysAfterT0: 1)))
            #expect(try await store.recordContact(F.contact("fb-1", tenant: "bank-b", daysAfterT0: 1)))

            let all = try await store.contacts(tenant: "bank-a", customerID: "c-1", since: F.t0)
            #expect(all.map(\.key) == ["fb-1", "fb-2"])
            #expect(all[0] == F.contact("fb-1", offer: "car_installment", outcome: .rejected, daysAfterT0: 1))
            #expect(all[1].outcome == .accepted && all[1].kind == .deposit && all[1].channel == .agent)
            let recent = try await store.contacts(tenant: "bank-a", customerID: "c-1", since: F.t0.addingTimeInterval(1.5 * 86_400))
            #expect(recent.map(\.key) == ["fb-2"])
            #expect(try await store.contacts(tenant: "bank-b", customerID: "c-1", since: F.t0).map(\.key) == ["fb-1"])
            await #expect(throws: ProfileStoreError.invalid(field: "key", reason: "1–256 characters")) {
                _ = try await store.recordContact(F.contact(""))
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func recordThenContext_readsTheCustomerAsTheWriteLeftIt(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.upsert(CustomerProfile(tenant: "bank-a", customerID: "c-1", ageBand: "35-44", segment: "mass",
                                                   productsHeld: ["credit_card"], marketingConsent: [.agent: true], timezone: "Asia/Shanghai"))
            _ = try await store.recordContact(F.contact("shown-1", daysAfterT0: 0))
            _ = try await store.record(F.write("k1", [(.education, .present, 0.6)]))
            let (outcome, context) = try await store.recordThenContext(F.write("k2", [(.homeRenovation, .present, 0.8)]), contactsSince: F.t0)
            #expect(outcome.events.map(\.kind) == [.added])
            #expect(context.profile?.segment == "mass")
            #expect(context.tags.map(\.need) == [.education, .homeRenovation], "every tag, by need id, including the one just written")
            #expect(context.tags == (try await store.tags(tenant: "bank-a", customerID: "c-1")))
            #expect(context.contacts.map(\.key) == ["shown-1"])
            // The same key again: a duplicate, and the context as it stands.
            let (again, still) = try await store.recordThenContext(F.write("k2", [(.homeRenovation, .present, 0.8)]), contactsSince: F.t0)
            #expect(again.duplicate && again.events.isEmpty)
            #expect(still.tags == context.tags)
        }
    }

    /// The writers never checkpoint (that would stall a turn); the store's
    /// checkpointer does, and under writes that never pause it still makes
    /// the log start over, so the log stays short. The log file is never
    /// truncated, only started over, so its size at the end is the longest
    /// the log ever was.
    @Test func fileStore_logStaysShortUnderSteadyWrites() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("profiles.sqlite").path
        let store = try SQLiteProfileStore(path: path, policy: F.policy)
        let writes = 3_000
        let writer = Task {
            for index in 0..<writes {
                _ = try await store.record(F.write("k\(index)", customer: "c-\(index)", [(.education, .present, 0.5), (.travelOverseas, .present, 0.6)]))
            }
        }
        // Checkpoint rounds as fast as the test can call them, besides the background ones, until the writer ends.
        let checkpoints = Task.detached {
            while !Task.isCancelled {
                _ = try? store.checkpoint()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        defer { checkpoints.cancel() }
        try await writer.value
        checkpoints.cancel()
        let walBytes = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
        let frames = (walBytes - 32) / (4_096 + 24)
        // Each write adds a handful of pages; without the restart the log passes 30,000 frames (measured), with it about 5,000.
        #expect(frames < 15_000, "the log reached \(frames) frames")
        #expect(try await store.lastSequence(tenant: "bank-a") == Int64(2 * writes))
    }

    @Test func fileStore_keepsEverythingAcrossReopening() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("data/profiles.sqlite").path
        do {
            let store = try SQLiteProfileStore(path: path, policy: F.policy)
            _ = try await store.record(F.write("k1", [(.education, .present, 0.5)]))
            #expect(try store.appliedMigrations() == ContractFixtures.migrations)
        }
        let reopened = try SQLiteProfileStore(path: path, policy: F.policy)
        #expect(try await reopened.lastSequence(tenant: "bank-a") == 1)
        #expect(try await reopened.record(F.write("k1", [(.education, .present, 0.5)])).duplicate)
    }
}

/// PostgreSQL-only: replicas starting together apply each migration once.
@Suite struct PostgresMigrationTests {
    @Test(.enabled(if: StoreKind.available.contains(.postgres)))
    func replicasStartingTogether_applyEachMigrationOnce() async throws {
        let url = try #require(StoreKind.postgresURL, "POSTGRES_URL is not set but XINSHENG_REQUIRE_POSTGRES=1")
        let schema = "migrations_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        async let first = PostgresProfileStore(url: url, policy: ContractFixtures.policy, schema: schema)
        async let second = PostgresProfileStore(url: url, policy: ContractFixtures.policy, schema: schema)
        let (a, b) = try await (first, second)
        #expect(try await a.appliedMigrations() == ContractFixtures.migrations)
        #expect(try await b.appliedMigrations() == ContractFixtures.migrations)
        try await a.dropSchema(schema)
        a.shutdown()
        b.shutdown()
    }

    @Test func badURLs_areRefusedClearly() async throws {
        await #expect(throws: ProfileStoreError.self) {
            _ = try await PostgresProfileStore(url: "mysql://x@y/z", policy: ContractFixtures.policy)
        }
    }
}
