import ArgumentParser
import Foundation
import Profiles
import ProfilesPostgres
import ProfilesSQLite

/// Where the profile store lives and which tenant a command acts for.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory; the embedded store is <dir>/profiles.sqlite, created on first use.",
                                            discussion: "Default: $XINSHENG_DATA, else ./data.", valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL store URL (postgres://user:password@host:5432/db) instead of the embedded SQLite file.",
                                            discussion: "Default: $XINSHENG_STORE_URL, else the embedded store.", valueName: "url"))
    var storeURL: String?

    @Option(name: .long, help: ArgumentHelp("Tenant the command acts for.", valueName: "id"))
    var tenant: String = "local"

    @Option(name: .long, help: ArgumentHelp("Need-tag TTLs.", discussion: "Default: config/tags.yaml of the checkout.", valueName: "file"))
    var tagsConfig: String?

    var dataDirectory: URL {
        if let dataDir { return URL(fileURLWithPath: dataDir) }
        if let environment = ProcessInfo.processInfo.environment["XINSHENG_DATA"], !environment.isEmpty {
            return URL(fileURLWithPath: environment)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("data")
    }

    /// `--store-url`, then `$XINSHENG_STORE_URL`; nil means the embedded store.
    var postgresURL: String? {
        if let storeURL, !storeURL.isEmpty { return storeURL }
        if let environment = ProcessInfo.processInfo.environment["XINSHENG_STORE_URL"], !environment.isEmpty { return environment }
        return nil
    }

    func openStore() async throws -> any ProfileStore {
        try await Self.open(dataDirectory: dataDirectory, postgresURL: postgresURL, policy: try Self.tagPolicy(explicit: tagsConfig))
    }

    /// The need-tag TTLs: `explicit`, else config/tags.yaml of the checkout.
    static func tagPolicy(explicit: String?) throws -> TagPolicy {
        guard let config = explicit.map({ URL(fileURLWithPath: $0) }) ?? ProjectPaths.projectFolder("config/tags.yaml") else {
            throw CLIError.notFound(what: "config/tags.yaml", option: "--tags-config FILE")
        }
        return try TagPolicy.load(config)
    }

    /// The PostgreSQL store when a URL is given, else the embedded SQLite
    /// store at `<data>/profiles.sqlite` (created, with its folder, on first use).
    static func open(dataDirectory: URL, postgresURL: String?, policy: TagPolicy) async throws -> any ProfileStore {
        if let url = postgresURL {
            return try await PostgresProfileStore(url: url, policy: policy)
        }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        return try SQLiteProfileStore(path: dataDirectory.appendingPathComponent("profiles.sqlite").path, policy: policy)
    }
}
