import Hummingbird

/// Proves the tenant of every request but the open ones (`/health` and the
/// console's static files, which carry no data) from
/// `Authorization: Bearer <key>`. Browsers cannot set headers on a WebSocket
/// or an EventSource, so those two upgrade paths also accept
/// `?access_token=<key>`.
struct TenantAuthMiddleware: RouterMiddleware {
    typealias Context = XinshengRequestContext
    let keys: TenantKeys

    static func isOpen(_ path: String) -> Bool {
        path == "/health" || path == "/console" || path.hasPrefix("/console/")
    }

    static func acceptsQueryToken(_ path: String) -> Bool {
        path == "/v1/feed/stream" || (path.hasPrefix("/v1/conversations/") && path.hasSuffix("/live"))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.isOpen(path) { return try await next(request, context) }
        var presented: String?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { presented = String(parts[1]).trimmingCharacters(in: .whitespaces) }
        } else if request.method == .get, Self.acceptsQueryToken(path) {
            presented = request.uri.queryParameters.get("access_token")
        }
        guard let presented, let tenant = keys.tenant(forKey: presented) else { throw APIError.unauthorized }
        var context = context
        context.tenant = tenant.id
        context.logger[metadataKey: "tenant"] = .string(tenant.id)
        return try await next(request, context)
    }
}
