import Analysis
import APIServer
import Classifiers
import ConversationService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Offers
import Profiles
import ProfilesSQLite
import TextPipeline

/// The real application on the real model, lexicons and config, over an
/// in-memory store, with two tenants and a log that tests can read.
struct TestService {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let keyA = "xs_test_key_for_bank_a_0123456789abcdefghijklmnop"
    static let keyB = "xs_test_key_for_bank_b_0123456789abcdefghijklmnop"

    /// Loaded once for the whole test process (the model takes a moment).
    static let analyzer: TurnAnalyzer = {
        let processor = TextProcessor(lexicon: try! LexiconLoader().load(directory: root.appendingPathComponent("lexicons")))
        let model = try! ModelArtifact.load(from: root.appendingPathComponent("models/bundled"), lexiconFingerprint: processor.segmenter.lexicon.fingerprint)
        return TurnAnalyzer(processor: processor, model: model)
    }()
    static let rules = try! OfferRules.load(directory: root.appendingPathComponent("config"))
    static let policy = try! TagPolicy.load(root.appendingPathComponent("config/tags.yaml"))

    /// A conversation that raises a renovation need and ends in a layoff
    /// (the API test and the browser test both play it).
    static let layoffConversation: [(speaker: String, text: String)] = [
        ("customer", "你好，我想问下装修贷款怎么办理"),
        ("agent", "您好，请问是新房装修吗？"),
        ("customer", "对，下个月拿钥匙，想分期装修"),
        ("agent", "好的，我帮您看看装修分期方案"),
        ("customer", "不过说实话最近公司在裁员，名单里有我，下个月的信用卡都不知道怎么还了"),
    ]

    let store: SQLiteProfileStore
    let dependencies: ServerDependencies
    let logs = LogCapture()

    /// `clock`: the time the rate limiter sees; a `ManualClock` makes a limit
    /// test independent of how fast a loaded machine sends its requests.
    init(requestsPerSecond: Double = 10_000, tenantBRate: Double? = nil, maxBodyBytes: Int = 64 * 1024, clock: ManualClock? = nil) throws {
        store = try SQLiteProfileStore(inMemoryWith: Self.policy)
        var settings = ServerSettings(dataDirectory: FileManager.default.temporaryDirectory)
        settings.port = 0
        settings.requestsPerSecond = requestsPerSecond
        settings.maxBodyBytes = maxBodyBytes
        let keys = TenantKeys(tenants: [
            (keySHA256: TenantKeys.hash(Self.keyA), tenant: .init(id: "bank_a", requestsPerSecond: nil)),
            (keySHA256: TenantKeys.hash(Self.keyB), tenant: .init(id: "bank_b", requestsPerSecond: tenantBRate)),
        ])
        let limiterClock: @Sendable () -> UInt64
        if let clock { limiterClock = { clock.now } } else { limiterClock = { DispatchTime.now().uptimeNanoseconds } }
        dependencies = ServerDependencies(conversations: LiveConversations(analyzer: Self.analyzer, store: store, rules: Self.rules),
                                          keys: keys, settings: settings,
                                          clock: limiterClock)
    }

    var application: some ApplicationProtocol {
        var logger = Logger(label: "xinsheng-test") { _ in self.logs.handler() }
        logger.logLevel = .trace
        return XinshengServer.application(dependencies, logger: logger)
    }

    func importCustomers() async throws {
        for tenant in ["bank_a", "bank_b"] {
            try await store.upsert(CustomerProfile(tenant: tenant, customerID: "c-1001", ageBand: "35-44", segment: "mass",
                                                   productsHeld: ["credit_card", "debit_card"],
                                                   marketingConsent: [.agent: true, .appPush: true], timezone: "Asia/Shanghai"))
        }
    }
}

/// Headers and bodies for the requests tests make.
enum Call {
    static func headers(_ key: String? = TestService.keyA, json: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let key { fields[.authorization] = "Bearer \(key)" }
        if json { fields[.contentType] = "application/json" }
        return fields
    }

    static func body(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func turn(_ text: String, speaker: String = "customer", customer: String = "c-1001", turnID: String? = nil) -> ByteBuffer {
        var object: [String: Any] = ["speaker": speaker, "text": text, "customer_id": customer]
        if let turnID { object["turn_id"] = turnID }
        return body(object)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var errorCode: String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }
}

extension Dictionary where Key == String, Value == Any {
    subscript(path path: String) -> Any? {
        var current: Any? = self
        for part in path.split(separator: ".") {
            if let index = Int(part), let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[String(part)]
            }
        }
        return current
    }
}

/// Every log record the application writes, rendered with its metadata.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String] = []

    var all: String { lock.withLock { records.joined(separator: "\n") } }

    func append(_ record: String) { lock.withLock { records.append(record) } }

    func handler() -> LogHandler { CapturingHandler(capture: self) }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            let merged = self.metadata.merging(explicit ?? [:]) { _, new in new }
            capture.append("\(level) \(message) \(merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}

/// A clock that moves only when a test moves it.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 1_000_000_000

    var now: UInt64 { lock.withLock { nanoseconds } }

    func advance(seconds: Double) {
        lock.withLock { nanoseconds += UInt64(seconds * 1e9) }
    }
}
