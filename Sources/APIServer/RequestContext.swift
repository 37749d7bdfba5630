import Hummingbird
import HummingbirdWebSocket

/// The context of one request: Hummingbird's core storage, the WebSocket
/// handler slot, and the tenant the API key proved.
public struct XinshengRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// Set by `TenantAuthMiddleware`; nil only on the open routes.
    public var tenant: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        tenant = nil
    }

    /// The authenticated tenant (the auth middleware guarantees one on every closed route).
    func requireTenant() throws -> String {
        guard let tenant else { throw APIError.unauthorized }
        return tenant
    }
}
