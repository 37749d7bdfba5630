import Foundation

/// How the service runs. Every setting comes from a flag, else an
/// environment variable, else its default — so `xinsheng serve` with
/// nothing set runs on the embedded store, the bundled model and the
/// shipped `config/`, on localhost.
public struct ServerSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The embedded store's file and the local API key live here.
    public var dataDirectory: URL
    /// A PostgreSQL URL; nil means the embedded SQLite store.
    public var storeURL: String?
    /// A keys file (`TenantKeys`); nil means the generated local key.
    public var apiKeysFile: URL?
    /// Requests a second per tenant, unless the keys file sets the tenant's own.
    public var requestsPerSecond: Double = 2_000
    /// Largest request body (a turn, a feedback); larger ones get 413.
    public var maxBodyBytes = 64 * 1024
    /// Conversations held in memory before the least recently used are let go.
    public var conversationCapacity = 2_000

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    /// The values a caller gave (flags); nil means "not given".
    public struct Overrides: Sendable {
        public var host: String?
        public var port: Int?
        public var dataDirectory: String?
        public var storeURL: String?
        public var apiKeysFile: String?
        public var requestsPerSecond: Double?
        public var maxBodyBytes: Int?
        public var conversationCapacity: Int?

        public init() {}
    }

    /// The environment variables, by setting.
    public static let environmentNames = [
        "host": "XINSHENG_HOST", "port": "XINSHENG_PORT", "data": "XINSHENG_DATA", "store": "XINSHENG_STORE_URL",
        "keys": "XINSHENG_API_KEYS", "rate": "XINSHENG_RATE_LIMIT", "body": "XINSHENG_MAX_BODY_BYTES",
        "capacity": "XINSHENG_CONVERSATION_CAPACITY",
    ]

    /// Flag, then environment, then default; a malformed value is an error naming its source.
    public static func resolve(_ flags: Overrides, environment: [String: String], workingDirectory: URL) throws(SettingsError) -> ServerSettings {
        func env(_ key: String) -> String? {
            guard let name = environmentNames[key], let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func number<T: LosslessStringConvertible & Comparable>(_ flag: T?, _ key: String, _ range: ClosedRange<T>, _ fallback: T) throws(SettingsError) -> T {
            if let flag {
                guard range.contains(flag) else { throw .outOfRange(setting: key, source: "flag", range: "\(range.lowerBound)…\(range.upperBound)") }
                return flag
            }
            guard let raw = env(key) else { return fallback }
            guard let value = T(raw), range.contains(value) else {
                throw .outOfRange(setting: key, source: environmentNames[key]!, range: "\(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        func path(_ value: String) -> URL {
            (value.hasPrefix("/") ? URL(fileURLWithPath: value) : workingDirectory.appendingPathComponent(value)).standardizedFileURL
        }
        var settings = ServerSettings(dataDirectory: path(flags.dataDirectory ?? env("data") ?? "data"))
        settings.host = flags.host ?? env("host") ?? settings.host
        settings.port = try number(flags.port, "port", 0...65535, settings.port)
        settings.storeURL = flags.storeURL ?? env("store")
        settings.apiKeysFile = (flags.apiKeysFile ?? env("keys")).map(path)
        settings.requestsPerSecond = try number(flags.requestsPerSecond, "rate", 1...1_000_000, settings.requestsPerSecond)
        settings.maxBodyBytes = try number(flags.maxBodyBytes, "body", 1024...16_777_216, settings.maxBodyBytes)
        settings.conversationCapacity = try number(flags.conversationCapacity, "capacity", 10...10_000_000, settings.conversationCapacity)
        return settings
    }

    /// `sqlite` or `postgres`, for `/ready` and the start-up line.
    public var storeKind: String { storeURL == nil ? "sqlite" : "postgres" }
}

public enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case outOfRange(setting: String, source: String, range: String)

    public var description: String {
        switch self {
        case .outOfRange(let setting, let source, let range): "setting \(setting) from \(source) must be in \(range) (设置值超出范围)"
        }
    }
}
