import Foundation
import GRDB
import Profiles
import Taxonomy

/// The embedded profile store: SQLite through GRDB, in WAL mode — a single
/// file under the data directory, created on first use, no configuration.
///
/// Every write runs in one `BEGIN IMMEDIATE` transaction (the write lock is
/// taken first, so writers in other processes queue on the busy timeout
/// instead of failing half-way): the idempotency key, the tag rows, the
/// tenant's sequence counter and the feed events commit together or not at all.
public final class SQLiteProfileStore: ProfileStore {
    let writer: any DatabaseWriter
    /// File stores only: the log is checkpointed off the write path.
    private let checkpointer: WALCheckpointer?
    public let merger: TagMerger

    /// A store in a file (created with its folder if missing); WAL mode,
    /// checkpointed in the background (`WALCheckpointer`).
    public init(path: String, policy: TagPolicy) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Self.configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // 16 MB of page cache a connection (SQLite's default is 2 MB): the feed's
            // and the idempotency keys' indexes take inserts all over; with the
            // default, a growing file soon makes most of a write's pages misses.
            try db.execute(sql: "PRAGMA cache_size = -16000")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        writer = pool
        merger = TagMerger(policy: policy)
        try SQLiteMigrations.migrator.migrate(writer)
        checkpointer = try WALCheckpointer(path: path, writer: pool)
    }

    /// A store in memory (tests, one-off runs).
    public init(inMemoryWith policy: TagPolicy) throws {
        writer = try DatabaseQueue(configuration: Self.configuration())
        merger = TagMerger(policy: policy)
        checkpointer = nil
        try SQLiteMigrations.migrator.migrate(writer)
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "xinsheng-profiles"
        return configuration
    }

    /// Copies the write-ahead log into the database file now (file stores;
    /// the background checkpointer does it every half second anyway).
    /// Returns the frames left in the log (0 in memory).
    @discardableResult
    public func checkpoint() throws -> Int {
        try checkpointer?.checkpoint() ?? 0
    }

    /// The migrations applied so far, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try SQLiteMigrations.migrator.appliedMigrations(db) }
    }

    // MARK: - Writes

    public func record(_ write: TagWrite) async throws -> WriteOutcome {
        try write.validate()
        let merger = self.merger
        return try await inWriteTransaction { db in try Self.apply(db, write, merger: merger).outcome }
    }

    /// The write and the decision's reads in one transaction: one trip to
    /// the writer, and the customer's tags decoded once.
    public func recordThenContext(_ write: TagWrite, contactsSince since: Date) async throws -> (WriteOutcome, CustomerContext) {
        try write.validate()
        let merger = self.merger
        return try await inWriteTransaction { db in
            let (outcome, tags) = try Self.apply(db, write, merger: merger)
            return (outcome, try Self.context(db, tenant: write.tenant, customerID: write.customerID, since: since, tags: tags))
        }
    }

    /// `body` in one `BEGIN IMMEDIATE` transaction on the writer, committed
    /// when it returns, rolled back when it throws.
    func inWriteTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// One write inside the caller's transaction: the customer's tags are
    /// read once, each observation merged, the changes saved and published.
    /// Returns the outcome and every tag of the customer after it, by need.
    static func apply(_ db: Database, _ write: TagWrite, merger: TagMerger) throws -> (outcome: WriteOutcome, tags: [NeedTag]) {
        var tags = try Self.tags(db, tenant: write.tenant, customerID: write.customerID)
        let seen = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM idempotency_keys WHERE tenant = ? AND key = ?"),
                                     arguments: [write.tenant, write.idempotencyKey]) ?? false
        if seen { return (WriteOutcome(events: [], duplicate: true), tags) }
        var changes: [SavedChange] = []
        for observation in write.observations {
            let index = tags.firstIndex { $0.need == observation.need }
            guard let (tag, kind) = merger.apply(observation, to: index.map { tags[$0] }, write: write) else { continue }
            let json = try Self.save(db, tag)
            if let index { tags[index] = tag } else { tags.append(tag) }
            changes.append(SavedChange(tag: tag, kind: kind, json: json))
        }
        let events = try Self.publish(db, tenant: write.tenant, cause: write.idempotencyKey, changes: changes, at: write.observedAt)
        try db.cachedStatement(sql: """
            INSERT INTO idempotency_keys (tenant, key, recorded_at, first_sequence, last_sequence) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [write.tenant, write.idempotencyKey, StoredJSON.millis(write.observedAt),
                                     events.first?.sequence, events.last?.sequence])
        tags.sort { $0.need.rawValue < $1.need.rawValue }
        return (WriteOutcome(events: events, duplicate: false), tags)
    }

    public func expire(now: Date) async throws -> [FeedEvent] {
        let merger = self.merger
        return try await inWriteTransaction { db in
            var events: [FeedEvent] = []
            let rows = try Row.fetchAll(db, sql: """
                SELECT tag FROM need_tags WHERE status = 'active' AND expires_at <= ? ORDER BY tenant, customer_id, need
                """, arguments: [StoredJSON.millis(now)])
            for row in rows {
                guard let expired = merger.expire(try Self.decodeTag(row["tag"]), now: now) else { continue }
                let json = try Self.save(db, expired)
                events += try Self.publish(db, tenant: expired.tenant, cause: FeedEvent.expiryCause(of: expired),
                                           changes: [SavedChange(tag: expired, kind: .expired, json: json)], at: now)
            }
            return events
        }
    }

    public func upsert(_ profile: CustomerProfile) async throws {
        guard !profile.tenant.isEmpty, !profile.customerID.isEmpty else {
            throw ProfileStoreError.invalid(field: "customer_id", reason: "tenant and customer id are required")
        }
        let json = try StoredJSON.encode(profile)
        try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO customer_profiles (tenant, customer_id, profile) VALUES (?, ?, ?)
                ON CONFLICT (tenant, customer_id) DO UPDATE SET profile = excluded.profile
                """, arguments: [profile.tenant, profile.customerID, json])
        }
    }

    public func recordContact(_ contact: OfferContact) async throws -> Bool {
        try contact.validate()
        return try await writer.write { db in
            try db.execute(sql: """
                INSERT INTO offer_contacts (tenant, contact_key, customer_id, offer_id, kind, channel, outcome, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, contact_key) DO NOTHING
                """, arguments: [contact.tenant, contact.key, contact.customerID, contact.offerID, contact.kind.rawValue,
                                 contact.channel.rawValue, contact.outcome.rawValue, StoredJSON.millis(contact.at)])
            return db.changesCount > 0
        }
    }

    // MARK: - Reads

    public func contacts(tenant: String, customerID: String, since: Date) async throws -> [OfferContact] {
        try await writer.read { db in try Self.contacts(db, tenant: tenant, customerID: customerID, since: since) }
    }

    public func tags(tenant: String, customerID: String) async throws -> [NeedTag] {
        try await writer.read { db in try Self.tags(db, tenant: tenant, customerID: customerID) }
    }

    /// The three reads of a decision in one read transaction (one snapshot, one hop to a reader).
    public func customerContext(tenant: String, customerID: String, contactsSince since: Date) async throws -> CustomerContext {
        try await writer.read { db in try Self.context(db, tenant: tenant, customerID: customerID, since: since, tags: nil) }
    }

    public func feed(tenant: String, after: Int64, limit: Int) async throws -> [FeedEvent] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT event FROM feed_events WHERE tenant = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                             arguments: [tenant, after, max(0, limit)]).map { row in
                try StoredJSON.decode(FeedEvent.self, from: row["event"] as String)
            }
        }
    }

    public func lastSequence(tenant: String) async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT last_sequence FROM feed_counters WHERE tenant = ?", arguments: [tenant]) ?? 0
        }
    }

    public func profile(tenant: String, customerID: String) async throws -> CustomerProfile? {
        try await writer.read { db in try Self.profile(db, tenant: tenant, customerID: customerID) }
    }

    // MARK: - Rows

    /// What a decision reads: the profile, the tags (read unless given) and the contacts since `since`.
    static func context(_ db: Database, tenant: String, customerID: String, since: Date, tags: [NeedTag]?) throws -> CustomerContext {
        CustomerContext(profile: try profile(db, tenant: tenant, customerID: customerID),
                        tags: try tags ?? Self.tags(db, tenant: tenant, customerID: customerID),
                        contacts: try contacts(db, tenant: tenant, customerID: customerID, since: since))
    }

    static func contacts(_ db: Database, tenant: String, customerID: String, since: Date) throws -> [OfferContact] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT contact_key, offer_id, kind, channel, outcome, at FROM offer_contacts
            WHERE tenant = ? AND customer_id = ? AND at >= ? ORDER BY at, contact_key
            """), arguments: [tenant, customerID, StoredJSON.millis(since)]).map { row in
            try OfferContact(stored: (row["contact_key"], row["offer_id"], row["kind"], row["channel"], row["outcome"], row["at"]),
                             tenant: tenant, customerID: customerID)
        }
    }

    static func tags(_ db: Database, tenant: String, customerID: String) throws -> [NeedTag] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT tag FROM need_tags WHERE tenant = ? AND customer_id = ? ORDER BY need"),
                            arguments: [tenant, customerID]).map(decodeTag)
    }

    static func profile(_ db: Database, tenant: String, customerID: String) throws -> CustomerProfile? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT profile FROM customer_profiles WHERE tenant = ? AND customer_id = ?"),
                            arguments: [tenant, customerID])
            .map { try StoredJSON.decode(CustomerProfile.self, from: $0) }
    }

    static func decodeTag(_ json: String) throws -> NeedTag {
        try StoredJSON.decode(NeedTag.self, from: json)
    }

    /// Writes a tag's row; returns the row's JSON (which its event reuses).
    @discardableResult
    static func save(_ db: Database, _ tag: NeedTag) throws -> String {
        let json = try StoredJSON.encode(tag)
        try db.cachedStatement(sql: """
            INSERT INTO need_tags (tenant, customer_id, need, status, expires_at, tag) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant, customer_id, need) DO UPDATE
            SET status = excluded.status, expires_at = excluded.expires_at, tag = excluded.tag
            """).execute(arguments: [tag.tenant, tag.customerID, tag.need.rawValue, tag.status.rawValue, StoredJSON.millis(tag.expiresAt), json])
        return json
    }

    /// Numbers the changes from the tenant's counter and appends them to the feed.
    static func publish(_ db: Database, tenant: String, cause: String, changes: [SavedChange], at date: Date) throws -> [FeedEvent] {
        guard !changes.isEmpty else { return [] }
        try db.cachedStatement(sql: "INSERT INTO feed_counters (tenant, last_sequence) VALUES (?, 0) ON CONFLICT (tenant) DO NOTHING")
            .execute(arguments: [tenant])
        let last = try Int64.fetchOne(db.cachedStatement(sql: """
            UPDATE feed_counters SET last_sequence = last_sequence + ? WHERE tenant = ? RETURNING last_sequence
            """), arguments: [changes.count, tenant])!
        let events = FeedEvent.numbered(changes.map { (tag: $0.tag, kind: $0.kind) }, tenant: tenant, cause: cause, endingAt: last, at: date)
        for (event, change) in zip(events, changes) {
            try db.cachedStatement(sql: """
                INSERT INTO feed_events (tenant, sequence, event_id, kind, customer_id, need, occurred_at, event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [tenant, event.sequence, event.eventID, event.kind.rawValue, event.tag.customerID,
                                 event.tag.need.rawValue, StoredJSON.millis(date),
                                 try StoredJSON.encode(event, saved: change)])
        }
        return events
    }
}
