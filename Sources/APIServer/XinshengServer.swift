import ConversationService
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

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

    /// The application: HTTP/1.1 with WebSocket upgrades on the same routes.
    /// Run it with `runService()`: SIGTERM and SIGINT shut it down gracefully
    /// (the port closes, in-flight requests finish, then it returns).
    public static func application(_ dependencies: ServerDependencies, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router(dependencies)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(maxFrameSize: dependencies.settings.maxBodyBytes)),
            configuration: .init(address: .hostname(dependencies.settings.host, port: dependencies.settings.port), serverName: "xinsheng"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
