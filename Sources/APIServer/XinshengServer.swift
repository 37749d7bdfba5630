import ConversationService
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Everything the application is built from. The caller (the `serve`
/// command, a test) loads and validates it first, so a bad configuration
/// stops start-up before a port is opened.
public struct ServerDependencies: Sendable {
    public let conversations: LiveConversations
    public let keys: TenantKeys
    public let settings: ServerSettings
    public let metrics: ServiceMetrics
    /// Monotonic nanoseconds for the rate limiter (tests freeze it).
    public let clock: @Sendable () -> UInt64

    public init(conversations: LiveConversations, keys: TenantKeys, settings: ServerSettings, metrics: ServiceMetrics = ServiceMetrics(),
                clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.conversations = conversations
        self.keys = keys
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
    }
}

public enum XinshengServer {
    /// The router with every route and middleware (what tests drive).
    public static func router(_ dependencies: ServerDependencies) -> Router<XinshengRequestContext> {
        let router = Router(context: XinshengRequestContext.self)
        let settings = dependencies.settings
        let rates = Dictionary(dependencies.keys.tenants.compactMap { tenant in tenant.requestsPerSecond.map { (tenant.id, $0) } },
                               uniquingKeysWith: { first, _ in first })
        router.add(middleware: ErrorAndMetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: TenantAuthMiddleware(keys: dependencies.keys))
        router.add(middleware: RateLimitMiddleware(buckets: TokenBuckets(defaultRate: settings.requestsPerSecond, rates: rates),
                                                        clock: dependencies.clock))
        OperationalRoutes(conversations: dependencies.conversations, metrics: dependencies.metrics, storeKind: settings.storeKind).add(to: router)
        ConsoleRoutes().add(to: router)
        AnalyzeRoute(analyzer: dependencies.conversations.analyzer, maxBodyBytes: settings.maxBodyBytes).add(to: router)
        ConversationRoutes(conversations: dependencies.conversations, metrics: dependencies.metrics, maxBodyBytes: settings.maxBodyBytes).add(to: router)
        ProfileRoutes(conversations: dependencies.conversations, maxBodyBytes: settings.maxBodyBytes).add(to: router)
        FeedRoutes(store: dependencies.conversations.store, metrics: dependencies.metrics).add(to: router)
        return router
    }

    /// How long an HTTP/1.1 keep-alive connection may sit idle after a
    /// response before the server closes it.
    public static let idleTimeout: TimeAmount = .seconds(30)

    /// How long a graceful stop may take. A client can hold a connection
    /// open without ever sending a request (a port check, a pool opening
    /// connections ahead of use), and Hummingbird's graceful stop waits for
    /// every connection — cancelling it does not end such a wait either — so
    /// without a bound that client keeps the service up after SIGTERM for as
    /// long as it likes.
    public static let maximumGracefulShutdown: DispatchTimeInterval = .seconds(10)

    /// Runs the application until SIGTERM or SIGINT, then stops it
    /// gracefully: the port closes and in-flight requests finish. When that
    /// takes longer than `maximumGracefulShutdown`, the process ends there
    /// (exit status 0, after `onForcedStop`): every answered turn is already
    /// committed, and the stores survive an abrupt end (the crash tests).
    public static func run(_ application: some ApplicationProtocol, logger: Logger,
                           onForcedStop: @escaping @Sendable () -> Void = {}) async throws {
        let watchdog = ShutdownWatchdog(grace: maximumGracefulShutdown, logger: logger, onForcedStop: onForcedStop)
        defer { watchdog.disarm() }
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The application: HTTP/1.1 with WebSocket upgrades on the same routes.
    /// Run it with `run(_:logger:)`.
    public static func application(_ dependencies: ServerDependencies, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router(dependencies)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: .init(http1: .init(idleTimeout: idleTimeout), ws: .init(maxFrameSize: dependencies.settings.maxBodyBytes))
            ),
            configuration: .init(address: .hostname(dependencies.settings.host, port: dependencies.settings.port), serverName: "xinsheng"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

/// Ends the process when a graceful stop outlasts its grace period. It
/// listens to SIGTERM and SIGINT beside ServiceLifecycle (a dispatch source
/// per signal; the service group sets their default action to ignore when it
/// starts, and every dispatch source of a signal hears it).
final class ShutdownWatchdog: @unchecked Sendable {
    private let queue = DispatchQueue(label: "xinsheng.shutdown-watchdog")
    private var sources: [any DispatchSourceSignal] = []
    private var armed = true
    private var started = false

    init(grace: DispatchTimeInterval, logger: Logger, onForcedStop: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self, !self.started else { return }
                self.started = true
                // Held until the deadline passes, armed or not.
                self.queue.asyncAfter(deadline: .now() + grace) { [self] in
                    guard self.armed else { return }
                    logger.warning("graceful stop still waiting for open connections after the grace period; stopping now")
                    onForcedStop()
                    exit(0)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Called when the service stopped by itself: the deadline no longer applies.
    func disarm() {
        queue.sync {
            armed = false
            for source in sources { source.cancel() }
        }
    }
}
