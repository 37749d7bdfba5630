import APIServer
import ArgumentParser
import ConversationService
import Foundation
import Hummingbird
import Logging
import Offers
import Profiles

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the live service: the HTTP/WebSocket API for agents, the agent console, the feed over HTTP.",
        discussion: """
        With nothing set it runs on the embedded SQLite store under ./data,
        the bundled model and the shipped config/, on 127.0.0.1:8080. Each
        setting is taken from its flag, else its environment variable, else
        the default. The configuration (tags.yaml, offers.yaml, policies.yaml,
        the keys file) is validated before the port opens; every problem is
        listed and the service does not start.

        Without --api-keys a key for tenant "local" is generated on first
        start, kept in <data>/api-key and printed at every start. With a keys
        file (xinsheng keys new) each tenant has its own key, held only as a
        SHA-256 hash, and sees only its own conversations, profiles and feed.

        SIGTERM or Ctrl-C stops it gracefully: the port closes, turns in
        flight finish and are written whole, then it exits.

        Environment: XINSHENG_HOST, XINSHENG_PORT, XINSHENG_DATA,
        XINSHENG_STORE_URL, XINSHENG_API_KEYS, XINSHENG_RATE_LIMIT,
        XINSHENG_MAX_BODY_BYTES, XINSHENG_CONVERSATION_CAPACITY,
        XINSHENG_CONFIG, XINSHENG_MODEL, XINSHENG_LEXICONS, LOG_LEVEL.

        Examples:
          xinsheng serve
          xinsheng serve --port 9090 --data-dir /var/lib/xinsheng
          XINSHENG_STORE_URL=postgres://xinsheng@db:5432/xinsheng xinsheng serve --host 0.0.0.0 --api-keys /etc/xinsheng/keys.yaml
        """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on.", discussion: "Default: $XINSHENG_HOST, else 127.0.0.1.", valueName: "host"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Port (0 picks a free one).", discussion: "Default: $XINSHENG_PORT, else 8080.", valueName: "port"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("Data directory: the embedded store and the local API key.",
                                            discussion: "Default: $XINSHENG_DATA, else ./data.", valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("PostgreSQL store URL instead of the embedded SQLite store.",
                                            discussion: "Default: $XINSHENG_STORE_URL, else the embedded store.", valueName: "url"))
    var storeURL: String?

    @Option(name: .long, help: ArgumentHelp("Keys file: tenants and the SHA-256 of their API keys.",
                                            discussion: "Default: $XINSHENG_API_KEYS, else the generated local key.", valueName: "file"))
    var apiKeys: String?

    @Option(name: .long, help: ArgumentHelp("Requests a second per tenant before 429.", discussion: "Default: $XINSHENG_RATE_LIMIT, else 2000.", valueName: "n"))
    var rateLimit: Double?

    @Option(name: .long, help: ArgumentHelp("Largest request body in bytes.", discussion: "Default: $XINSHENG_MAX_BODY_BYTES, else 65536.", valueName: "n"))
    var maxBodyBytes: Int?

    @Option(name: .long, help: ArgumentHelp("Conversations held in memory.", discussion: "Default: $XINSHENG_CONVERSATION_CAPACITY, else 2000 (memory grows with it: about 15 kB a conversation of 10 turns).", valueName: "n"))
    var conversationCapacity: Int?

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", discussion: "Default: $LOG_LEVEL, else info.", valueName: "level"))
    var logLevel: String?

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        var overrides = ServerSettings.Overrides()
        overrides.host = host
        overrides.port = port
        overrides.dataDirectory = dataDir
        overrides.storeURL = storeURL
        overrides.apiKeysFile = apiKeys
        overrides.requestsPerSecond = rateLimit
        overrides.maxBodyBytes = maxBodyBytes
        overrides.conversationCapacity = conversationCapacity
        let settings = try ServerSettings.resolve(overrides, environment: ProcessInfo.processInfo.environment,
                                                  workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let level = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ValidationError("--log-level \(level): use trace, debug, info, notice, warning, error or critical")
        }

        // Everything is loaded and checked before the port opens.
        let configDirectory = try config.directory()
        let (policy, rules, keysFile) = try Self.loadConfiguration(directory: configDirectory, keysFile: settings.apiKeysFile)
        let localKey: String?
        let keys: TenantKeys
        if let keysFile {
            keys = keysFile
            localKey = nil
        } else {
            let (key, _) = try LocalKey.loadOrCreate(in: settings.dataDirectory)
            localKey = key
            keys = TenantKeys(tenants: [(keySHA256: TenantKeys.hash(key), tenant: .init(id: LocalKey.tenant, requestsPerSecond: nil))])
        }
        let analyzer = try model.makeAnalyzer(pipeline)
        let store = try await StoreOptions.open(dataDirectory: settings.dataDirectory, postgresURL: settings.storeURL, policy: policy)
        let conversations = LiveConversations(analyzer: analyzer, store: store, rules: rules, capacity: settings.conversationCapacity)

        var logger = Logger(label: "xinsheng")
        logger.logLevel = logLevel
        let storeLine = settings.storeURL == nil ? "sqlite \(settings.dataDirectory.appendingPathComponent("profiles.sqlite").path)" : "postgres"
        let app = XinshengServer.application(ServerDependencies(conversations: conversations, keys: keys, settings: settings), logger: logger) { port in
            var lines = [
                "心声 Xinsheng 服务已启动 — listening on http://\(settings.host):\(port)",
                "  store \(storeLine) · model \(analyzer.model.version) · config \(configDirectory.path)",
            ]
            if let localKey {
                lines.append("  local API key 本地密钥 (tenant \(LocalKey.tenant), kept in \(settings.dataDirectory.appendingPathComponent("api-key").path)):")
                lines.append("    \(localKey)")
                lines.append("  agent console 坐席控制台: http://\(settings.host):\(port)/console#key=\(localKey)")
                lines.append("  try: curl -H 'Authorization: Bearer \(localKey)' http://\(settings.host):\(port)/ready")
            } else {
                lines.append("  tenants: \(keys.tenants.map(\.id).joined(separator: ", ")) · agent console: http://\(settings.host):\(port)/console")
            }
            lines.append("  Ctrl-C to stop 停止")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await XinshengServer.run(app, logger: logger, onForcedStop: { print("stopped 已停止 (grace period over)") })
        print("stopped 已停止")
    }

    /// The domain configuration and the keys file, with every problem of
    /// every file reported together.
    static func loadConfiguration(directory: URL, keysFile: URL?) throws -> (TagPolicy, OfferRules, TenantKeys?) {
        var configuration = DomainConfiguration(directory: directory)
        var keys: TenantKeys?
        if let keysFile {
            do { keys = try TenantKeys.load(keysFile) } catch { configuration.add(error.description, count: error.problems.count) }
        }
        guard configuration.failures.isEmpty, let policy = configuration.policy, let rules = configuration.rules else {
            throw ServeError.configuration(configuration.failures)
        }
        return (policy, rules, keys)
    }
}

enum ServeError: Error, CustomStringConvertible {
    case configuration([String])

    var description: String {
        switch self {
        case .configuration(let failures):
            (failures + ["the service did not start: fix the configuration above (配置有误，服务未启动)"]).joined(separator: "\n")
        }
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make API keys for the service's keys file.",
        discussion: """
        Examples:
          xinsheng keys new --tenant bank_a >> keys-entries.yaml
          xinsheng keys hash xs_yourExistingKey
        """,
        subcommands: [KeysNewCommand.self, KeysHashCommand.self]
    )
}

struct KeysNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Generate a random API key for a tenant; print the key (once) and its keys-file entry.",
        discussion: """
        The key goes to standard error, to hand to the tenant; the entry for
        the keys file (tenant id and the key's SHA-256, never the key) goes to
        standard output. The file starts with `version: 1` and `tenants:`.

        Example:
          xinsheng keys new --tenant bank_a >> /etc/xinsheng/keys.yaml
        """
    )

    @Option(name: .long, help: ArgumentHelp("Tenant id: lower-case letters, digits and _.", valueName: "id"))
    var tenant: String

    func validate() throws {
        guard let first = tenant.first, first.isLetter, first.isLowercase,
              tenant.allSatisfy({ ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }) else {
            throw ValidationError("--tenant must be lower-case letters, digits and _, starting with a letter")
        }
    }

    func run() {
        let key = TenantKeys.generateKey()
        FileHandle.standardError.write(Data("API key for \(tenant) (shown once; only its hash is kept) 密钥仅显示一次:\n\(key)\n".utf8))
        print("  - id: \(tenant)\n    key_sha256: \(TenantKeys.hash(key))")
    }
}

struct KeysHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the SHA-256 of an existing key, as the keys file wants it.",
        discussion: """
        Example:
          xinsheng keys hash xs_yourExistingKey
        """
    )

    @Argument(help: ArgumentHelp("The key.", valueName: "key"))
    var key: String

    func run() {
        print(TenantKeys.hash(key))
    }
}
