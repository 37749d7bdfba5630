import Foundation
import Logging
import PostgresNIO
import Profiles
import Taxonomy

/// The production profile store: PostgreSQL through postgres-nio, selected
/// with a URL (`postgres://user:password@host:5432/database`).
///
/// Same contract as the SQLite store. Every write is one transaction that
/// first locks the tenant's counter row (`SELECT … FOR UPDATE`): writes of one
/// tenant are serialised, which makes the read-merge-write of tags safe and
/// the tenant's sequence gap-free across any number of service replicas (a
/// rolled-back transaction returns its numbers with it). Writes of different
/// tenants run in parallel. The sweeper takes the same locks in the same
/// order (counter, then tags), so it never deadlocks with writers.
public final class PostgresProfileStore: ProfileStore {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    public let merger: TagMerger

    /// Connects (lazily, through a pool) and applies pending migrations.
    /// With `schema`, everything lives in that schema (created if missing):
    /// one database can hold separate stores (tests, staging).
    public init(url: String, policy: TagPolicy, schema: String? = nil,
                logger: Logger = Logger(label: "xinsheng.profiles.postgres")) async throws {
        var configuration = try Self.configuration(from: url)
        if let schema {
            guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                throw ProfileStoreError.invalid(field: "schema", reason: "lower-case letters, digits and _")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        let client = PostgresClient(configuration: configuration)
        self.client = client
        self.runner = Task { await client.run() }
        self.logger = logger
        self.merger = TagMerger(policy: policy)
        try await PostgresMigrations.migrate(client, creatingSchema: schema, logger: logger)
    }

    /// Drops a schema and everything in it (tests clean up with this).
    public func dropSchema(_ schema: String) async throws {
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else { return }
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
    }

    deinit { runner.cancel() }

    /// Stops the connection pool.
    public func shutdown() {
        runner.cancel()
    }

    /// Parses `postgres://user:password@host:port/database` (TLS off; use a
    /// local socket or a private network).
    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, let user = components.user else {
            throw ProfileStoreError.invalid(field: "postgres url", reason: "expected postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: user,
                                            password: components.password, database: database.isEmpty ? nil : database, tls: .disable)
    }

    // MARK: - Writes

    public func record(_ write: TagWrite) async throws -> WriteOutcome {
        try write.validate()
        let merger = self.merger
        return try await inTransaction { connection in
            try await Self.lockCounter(connection, tenant: write.tenant, logger: self.logger)
            return try await Self.apply(connection, write, merger: merger, logger: self.logger)
        }
    }

    /// `body` in one transaction. An error `body` throws comes back as
    /// itself, not wrapped in postgres-nio's `PostgresTransactionError`, so
    /// every store throws the same errors (`ProfileStoreError`, the caller's own).
    func inTransaction<T: Sendable>(_ body: nonisolated(nonsending) (PostgresConnection) async throws -> sending T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// One write inside the caller's transaction, which holds the tenant's counter lock.
    static func apply(_ connection: PostgresConnection, _ write: TagWrite, merger: TagMerger, logger: Logger) async throws -> WriteOutcome {
        let fresh = try await connection.query("""
            INSERT INTO idempotency_keys (tenant, key, recorded_at) VALUES (\(write.tenant), \(write.idempotencyKey), \(StoredJSON.millis(write.observedAt)))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).collect()
        if fresh.isEmpty { return WriteOutcome(events: [], duplicate: true) }
        var changes: [SavedChange] = []
        for observation in write.observations {
            let existing = try await tag(connection, tenant: write.tenant, customerID: write.customerID, need: observation.need, logger: logger)
            guard let (tag, kind) = merger.apply(observation, to: existing, write: write) else { continue }
            let json = try await save(connection, tag, logger: logger)
            changes.append(SavedChange(tag: tag, kind: kind, json: json))
        }
        let events = try await publish(connection, tenant: write.tenant, cause: write.idempotencyKey, changes: changes,
                                       at: write.observedAt, logger: logger)
        if let first = events.first?.sequence, let last = events.last?.sequence {
            try await connection.query("""
                UPDATE idempotency_keys SET first_sequence = \(first), last_sequence = \(last)
                WHERE tenant = \(write.tenant) AND key = \(write.idempotencyKey)
                """, logger: logger)
        }
        return WriteOutcome(events: events, duplicate: false)
    }

    public func expire(now: Date) async throws -> [FeedEvent] {
        let due = StoredJSON.millis(now)
        var tenants: [String] = []
        for try await tenant in try await client.query("""
            SELECT DISTINCT tenant FROM need_tags WHERE status = 'active' AND expires_at <= \(due) ORDER BY tenant
            """, logger: logger).decode(String.self) {
            tenants.append(tenant)
        }
        var events: [FeedEvent] = []
        let merger = self.merger
        for tenant in tenants {
            events += try await inTransaction { connection in
                try await Self.lockCounter(connection, tenant: tenant, logger: self.logger)
                var expired: [NeedTag] = []
                for try await json in try await connection.query("""
                    SELECT tag FROM need_tags WHERE tenant = \(tenant) AND status = 'active' AND expires_at <= \(due)
                    ORDER BY customer_id, need FOR UPDATE
                    """, logger: self.logger).decode(String.self) {
                    if let tag = merger.expire(try Self.decodeTag(json), now: now) { expired.append(tag) }
                }
                var published: [FeedEvent] = []
                for tag in expired {
                    let json = try await Self.save(connection, tag, logger: self.logger)
                    published += try await Self.publish(connection, tenant: tenant, cause: FeedEvent.expiryCause(of: tag),
                                                        changes: [SavedChange(tag: tag, kind: .expired, json: json)], at: now,
                                                        logger: self.logger)
                }
                return published
            }
        }
        return events
    }

    public func upsert(_ profile: CustomerProfile) async throws {
        guard !profile.tenant.isEmpty, !profile.customerID.isEmpty else {
            throw ProfileStoreError.invalid(field: "customer_id", reason: "tenant and customer id are required")
        }
        let json = try StoredJSON.encode(profile)
        try await client.query("""
            INSERT INTO customer_profiles (tenant, customer_id, profile) VALUES (\(profile.tenant), \(profile.customerID), \(json))
            ON CONFLICT (tenant, customer_id) DO UPDATE SET profile = excluded.profile
            """, logger: logger)
    }

    public func recordContact(_ contact: OfferContact) async throws -> Bool {
        try contact.validate()
        let inserted = try await client.query("""
            INSERT INTO offer_contacts (tenant, contact_key, customer_id, offer_id, kind, channel, outcome, at)
            VALUES (\(contact.tenant), \(contact.key), \(contact.customerID), \(contact.offerID), \(contact.kind.rawValue),
                    \(contact.channel.rawValue), \(contact.outcome.rawValue), \(StoredJSON.millis(contact.at)))
            ON CONFLICT (tenant, contact_key) DO NOTHING RETURNING 1
            """, logger: logger).collect()
        return !inserted.isEmpty
    }

    // MARK: - Reads

    public func contacts(tenant: String, customerID: String, since: Date) async throws -> [OfferContact] {
        var contacts: [OfferContact] = []
        for try await row in try await client.query("""
            SELECT contact_key, offer_id, kind, channel, outcome, at FROM offer_contacts
            WHERE tenant = \(tenant) AND customer_id = \(customerID) AND at >= \(StoredJSON.millis(since)) ORDER BY at, contact_key
            """, logger: logger).decode((String, String, String, String, String, Int64).self) {
            contacts.append(try OfferContact(stored: row, tenant: tenant, customerID: customerID))
        }
        return contacts
    }

    public func tags(tenant: String, customerID: String) async throws -> [NeedTag] {
        var tags: [NeedTag] = []
        for try await json in try await client.query("""
            SELECT tag FROM need_tags WHERE tenant = \(tenant) AND customer_id = \(customerID) ORDER BY need
            """, logger: logger).decode(String.self) {
            tags.append(try Self.decodeTag(json))
        }
        return tags
    }

    public func feed(tenant: String, after: Int64, limit: Int) async throws -> [FeedEvent] {
        var events: [FeedEvent] = []
        for try await json in try await client.query("""
            SELECT event FROM feed_events WHERE tenant = \(tenant) AND sequence > \(after) ORDER BY sequence LIMIT \(max(0, limit))
            """, logger: logger).decode(String.self) {
            events.append(try StoredJSON.decode(FeedEvent.self, from: json))
        }
        return events
    }

    public func lastSequence(tenant: String) async throws -> Int64 {
        for try await last in try await client.query("SELECT last_sequence FROM feed_counters WHERE tenant = \(tenant)",
                                                     logger: logger).decode(Int64.self) {
            return last
        }
        return 0
    }

    public func profile(tenant: String, customerID: String) async throws -> CustomerProfile? {
        for try await json in try await client.query("""
            SELECT profile FROM customer_profiles WHERE tenant = \(tenant) AND customer_id = \(customerID)
            """, logger: logger).decode(String.self) {
            return try StoredJSON.decode(CustomerProfile.self, from: json)
        }
        return nil
    }

    /// The migrations applied so far, oldest first.
    public func appliedMigrations() async throws -> [String] {
        var versions: [String] = []
        for try await version in try await client.query("SELECT version FROM schema_migrations ORDER BY version",
                                                        logger: logger).decode(String.self) {
            versions.append(version)
        }
        return versions
    }

    // MARK: - Rows

    static func decodeTag(_ json: String) throws -> NeedTag {
        try StoredJSON.decode(NeedTag.self, from: json)
    }

    /// Creates the tenant's counter row if needed and locks it for the transaction.
    static func lockCounter(_ connection: PostgresConnection, tenant: String, logger: Logger) async throws {
        try await connection.query("INSERT INTO feed_counters (tenant, last_sequence) VALUES (\(tenant), 0) ON CONFLICT DO NOTHING",
                                   logger: logger)
        try await connection.query("SELECT last_sequence FROM feed_counters WHERE tenant = \(tenant) FOR UPDATE", logger: logger)
    }

    static func tag(_ connection: PostgresConnection, tenant: String, customerID: String, need: Need, logger: Logger) async throws -> NeedTag? {
        for try await json in try await connection.query("""
            SELECT tag FROM need_tags WHERE tenant = \(tenant) AND customer_id = \(customerID) AND need = \(need.rawValue)
            """, logger: logger).decode(String.self) {
            return try decodeTag(json)
        }
        return nil
    }

    /// Writes a tag's row; returns the row's JSON (which its event reuses).
    @discardableResult
    static func save(_ connection: PostgresConnection, _ tag: NeedTag, logger: Logger) async throws -> String {
        let json = try StoredJSON.encode(tag)
        try await connection.query("""
            INSERT INTO need_tags (tenant, customer_id, need, status, expires_at, tag)
            VALUES (\(tag.tenant), \(tag.customerID), \(tag.need.rawValue), \(tag.status.rawValue), \(StoredJSON.millis(tag.expiresAt)), \(json))
            ON CONFLICT (tenant, customer_id, need) DO UPDATE
            SET status = excluded.status, expires_at = excluded.expires_at, tag = excluded.tag
            """, logger: logger)
        return json
    }

    /// Numbers the changes from the (locked) tenant counter and appends them to the feed.
    static func publish(_ connection: PostgresConnection, tenant: String, cause: String, changes: [SavedChange],
                        at date: Date, logger: Logger) async throws -> [FeedEvent] {
        guard !changes.isEmpty else { return [] }
        var last: Int64 = 0
        for try await value in try await connection.query("""
            UPDATE feed_counters SET last_sequence = last_sequence + \(Int64(changes.count)) WHERE tenant = \(tenant) RETURNING last_sequence
            """, logger: logger).decode(Int64.self) {
            last = value
        }
        let events = FeedEvent.numbered(changes.map { (tag: $0.tag, kind: $0.kind) }, tenant: tenant, cause: cause, endingAt: last, at: date)
        for (event, change) in zip(events, changes) {
            let json = try StoredJSON.encode(event, saved: change)
            try await connection.query("""
                INSERT INTO feed_events (tenant, sequence, event_id, kind, customer_id, need, occurred_at, event)
                VALUES (\(tenant), \(event.sequence), \(event.eventID), \(event.kind.rawValue), \(event.tag.customerID),
                        \(event.tag.need.rawValue), \(StoredJSON.millis(date)), \(json))
                """, logger: logger)
        }
        return events
    }
}
