import Crypto
import Foundation
import Profiles
import Yams

/// The API keys the service accepts, each bound to one tenant. Only the
/// SHA-256 of a key is kept (in the keys file and in memory); keys are
/// random 256-bit strings, so a plain hash is as strong as the key.
///
/// The keys file (`--api-keys`, `$XINSHENG_API_KEYS`):
///
/// ```yaml
/// version: 1
/// tenants:
///   - id: bank_a
///     key_sha256: 5e884898da28047151d0e56f8dc62927...   # xinsheng keys new --tenant bank_a
///     requests_per_second: 800                          # optional; else the service default
/// ```
public struct TenantKeys: Sendable {
    public struct Tenant: Sendable, Equatable {
        public let id: String
        /// Overrides the service's default rate for this tenant.
        public let requestsPerSecond: Double?

        public init(id: String, requestsPerSecond: Double?) {
            self.id = id
            self.requestsPerSecond = requestsPerSecond
        }
    }

    private let byHash: [String: Tenant]

    public init(tenants: [(keySHA256: String, tenant: Tenant)]) {
        byHash = Dictionary(tenants.map { ($0.keySHA256.lowercased(), $0.tenant) }, uniquingKeysWith: { first, _ in first })
    }

    public var tenants: [Tenant] { byHash.values.sorted { $0.id < $1.id } }

    /// The tenant a presented key belongs to.
    public func tenant(forKey key: String) -> Tenant? {
        byHash[Self.hash(key)]
    }

    /// Lower-case hex SHA-256 of a key.
    public static func hash(_ key: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(key.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A new random key: `xs_` and 43 URL-safe base64 characters (256 bits).
    public static func generateKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "xs_" + encoded
    }

    /// Reads and validates a keys file; every problem is reported at once.
    public static func load(_ url: URL) throws(ConfigurationError) -> TenantKeys {
        try ConfigDocument(contentsOf: url).value(read)
    }

    public static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> TenantKeys {
        try ConfigDocument(yaml: yaml, file: file).value(read)
    }

    static func read(_ document: ConfigDocument) -> TenantKeys {
        guard let root = document.root else { return TenantKeys(tenants: []) }
        let fields = document.fields(root, at: "", allowed: ["tenants"], required: ["tenants"])
        var entries: [(String, Tenant)] = []
        var seenTenants = Set<String>(), seenHashes = Set<String>()
        for (index, node) in (document.sequence(fields["tenants"], at: "tenants") ?? []).enumerated() {
            let path = "tenants[\(index)]"
            guard let mapping = document.mapping(node, at: path) else { continue }
            let entry = document.fields(mapping, at: path, allowed: ["id", "key_sha256", "requests_per_second"], required: ["id", "key_sha256"])
            let id = document.identifier(entry["id"], at: "\(path).id")
            let hash = document.string(entry["key_sha256"], at: "\(path).key_sha256")?.lowercased()
            let rate = entry["requests_per_second"].map { document.number($0, at: "\(path).requests_per_second", in: 1...1_000_000) } ?? nil
            if let hash, hash.count != 64 || !hash.allSatisfy(\.isHexDigit) {
                document.problem("\(path).key_sha256", entry["key_sha256"], "must be 64 hex digits: the SHA-256 of the key, never the key itself (须为密钥的 SHA-256)")
                continue
            }
            guard let id, let hash else { continue }
            if !seenTenants.insert(id).inserted { document.problem("\(path).id", entry["id"], "tenant \(id) is listed twice (租户重复)") }
            if !seenHashes.insert(hash).inserted { document.problem("\(path).key_sha256", entry["key_sha256"], "the same key is given to two tenants (同一密钥分给了两个租户)") }
            entries.append((hash, Tenant(id: id, requestsPerSecond: rate)))
        }
        if entries.isEmpty, document.problems.isEmpty {
            document.problem("tenants", fields["tenants"], "no tenant: list at least one (至少需要一个租户)")
        }
        return TenantKeys(tenants: entries.map { (keySHA256: $0.0, tenant: $0.1) })
    }
}

/// The key of the no-configuration default: tenant `local`, generated on
/// first start and kept in `<data>/api-key` (mode 0600) so it survives
/// restarts. Only its hash is held in memory.
public enum LocalKey {
    public static let tenant = "local"

    /// Reads the key in `directory`, creating it (and the directory) when missing.
    public static func loadOrCreate(in directory: URL) throws -> (key: String, created: Bool) {
        let file = directory.appendingPathComponent("api-key")
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !existing.isEmpty {
            return (existing, false)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = TenantKeys.generateKey()
        guard FileManager.default.createFile(atPath: file.path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return (key, true)
    }
}
