import ConversationService
import Foundation
import Hummingbird
import Logging

/// The outermost middleware: turns every error into the JSON error body,
/// records the request's latency by route pattern, and writes one log line
/// per request — method, route pattern, status and duration; never the
/// path's ids, the query (it may hold a key) or anything from the body.
struct ErrorAndMetricsMiddleware: RouterMiddleware {
    typealias Context = XinshengRequestContext
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error)
            if case .internalError = apiError {
                context.logger.error("request failed", metadata: ["error_type": .string(String(describing: type(of: error)))])
            }
            response = try apiError.response(from: request, context: context)
        }
        let route = context.endpointPath ?? "unmatched"
        let duration = ContinuousClock.now - started
        metrics.requestFinished(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.2f", Double(duration.nanoseconds) / 1e6)),
        ])
        return response
    }

    static func apiError(for error: Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as ConversationServiceError: return .from(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound(what: "route")
            case .contentTooLarge: return .bodyTooLarge(limit: 0)
            case .methodNotAllowed: return .methodNotAllowed
            case .unsupportedMediaType: return .unsupportedMediaType(nil)
            case .unauthorized: return .unauthorized
            default:
                return error.status.code < 500 ? .invalidField(field: "request", reason: error.status.reasonPhrase) : .internalError
            }
        default: return .internalError
        }
    }
}
