import GRDB

/// Numbered, append-only migrations: never edit one that has shipped; add the next.
///
/// Every key starts with the tenant, so one database serves many tenants and
/// nothing is ever looked up across them.
enum SQLiteMigrations {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-need-tags-feed-profiles") { db in
            try db.execute(sql: """
                CREATE TABLE need_tags (
                    tenant TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    need TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'expired')),
                    expires_at INTEGER NOT NULL,
                    tag TEXT NOT NULL,
                    PRIMARY KEY (tenant, customer_id, need)
                );
                CREATE INDEX need_tags_expiry ON need_tags (status, expires_at);

                CREATE TABLE feed_counters (
                    tenant TEXT PRIMARY KEY,
                    last_sequence INTEGER NOT NULL
                );

                CREATE TABLE feed_events (
                    tenant TEXT NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence > 0),
                    event_id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('added', 'strengthened', 'withdrawn', 'expired')),
                    customer_id TEXT NOT NULL,
                    need TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    PRIMARY KEY (tenant, sequence)
                );

                CREATE TABLE idempotency_keys (
                    tenant TEXT NOT NULL,
                    key TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    first_sequence INTEGER,
                    last_sequence INTEGER,
                    PRIMARY KEY (tenant, key)
                );

                CREATE TABLE customer_profiles (
                    tenant TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    profile TEXT NOT NULL,
                    PRIMARY KEY (tenant, customer_id)
                );
                """)
        }
        migrator.registerMigration("0002-offer-contacts") { db in
            try db.execute(sql: """
                CREATE TABLE offer_contacts (
                    tenant TEXT NOT NULL,
                    contact_key TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    offer_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('presented', 'accepted', 'rejected', 'not_relevant')),
                    at INTEGER NOT NULL,
                    PRIMARY KEY (tenant, contact_key)
                );
                CREATE INDEX offer_contacts_customer ON offer_contacts (tenant, customer_id, at);
                """)
        }
        migrator.registerMigration("0003-mining-checkpoints") { db in
            try db.execute(sql: """
                CREATE TABLE mining_checkpoints (
                    tenant TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    file_index INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    byte_offset INTEGER NOT NULL,
                    rejects_bytes INTEGER NOT NULL,
                    state BLOB NOT NULL,
                    finished INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant, run_id)
                );
                """)
        }
        return migrator
    }()
}
