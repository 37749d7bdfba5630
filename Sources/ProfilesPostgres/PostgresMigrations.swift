import Logging
import PostgresNIO

/// Numbered, append-only migrations, the same schema as the SQLite store's
/// (`0001-…`). Applied under a transaction-scoped advisory lock, so service
/// replicas starting together never apply one twice.
enum PostgresMigrations {
    static let all: [(version: String, sql: [PostgresQuery])] = [
        ("0001-need-tags-feed-profiles", [
            """
            CREATE TABLE need_tags (
                tenant TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                need TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'expired')),
                expires_at BIGINT NOT NULL,
                tag TEXT NOT NULL,
                PRIMARY KEY (tenant, customer_id, need)
            )
            """,
            "CREATE INDEX need_tags_expiry ON need_tags (status, expires_at)",
            """
            CREATE TABLE feed_counters (
                tenant TEXT PRIMARY KEY,
                last_sequence BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE feed_events (
                tenant TEXT NOT NULL,
                sequence BIGINT NOT NULL CHECK (sequence > 0),
                event_id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('added', 'strengthened', 'withdrawn', 'expired')),
                customer_id TEXT NOT NULL,
                need TEXT NOT NULL,
                occurred_at BIGINT NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (tenant, sequence)
            )
            """,
            """
            CREATE TABLE idempotency_keys (
                tenant TEXT NOT NULL,
                key TEXT NOT NULL,
                recorded_at BIGINT NOT NULL,
                first_sequence BIGINT,
                last_sequence BIGINT,
                PRIMARY KEY (tenant, key)
            )
            """,
            """
            CREATE TABLE customer_profiles (
                tenant TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                profile TEXT NOT NULL,
                PRIMARY KEY (tenant, customer_id)
            )
            """,
        ]),
        ("0002-offer-contacts", [
            """
            CREATE TABLE offer_contacts (
                tenant TEXT NOT NULL,
                contact_key TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                offer_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('presented', 'accepted', 'rejected', 'not_relevant')),
                at BIGINT NOT NULL,
                PRIMARY KEY (tenant, contact_key)
            )
            """,
            "CREATE INDEX offer_contacts_customer ON offer_contacts (tenant, customer_id, at)",
        ]),
        ("0003-mining-checkpoints", [
            """
            CREATE TABLE mining_checkpoints (
                tenant TEXT NOT NULL,
                run_id TEXT NOT NULL,
                file_index INTEGER NOT NULL,
                records BIGINT NOT NULL,
                line BIGINT NOT NULL,
                byte_offset BIGINT NOT NULL,
                rejects_bytes BIGINT NOT NULL,
                state BYTEA NOT NULL,
                finished BOOLEAN NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant, run_id)
            )
            """,
        ]),
    ]

    /// An arbitrary constant naming Xinsheng's migration lock.
    static let lockKey: Int64 = 0x7869_6e73_6865_6e67 & 0x7fff_ffff_ffff_ffff

    /// `schema` (already validated by the caller) is created under the same
    /// lock: two replicas racing `CREATE SCHEMA IF NOT EXISTS` can otherwise
    /// both miss it and one fails on PostgreSQL's catalogue unique index.
    static func migrate(_ client: PostgresClient, creatingSchema schema: String?, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            if let schema {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(String.self) {
                applied.insert(version)
            }
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.sql { try await connection.query(statement, logger: logger) }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }
}
