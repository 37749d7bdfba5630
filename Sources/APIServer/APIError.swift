import ConversationService
import Foundation
import HTTPTypes
import Hummingbird
import TextPipeline

/// Every refusal the API makes, as `{"error": {"code", "message", "message_zh"}}`
/// with a 4xx (or 503) status. Messages name fields and limits, never the
/// customer's words.
public enum APIError: Error, Sendable, Equatable {
    case unauthorized
    case notFound(what: String)
    case methodNotAllowed
    case unsupportedMediaType(String?)
    case invalidUTF8
    case invalidJSON(String)
    case missingField(String)
    case invalidField(field: String, reason: String)
    case bodyTooLarge(limit: Int)
    case text(TextInputError)
    case conflict(String)
    case rateLimited(retryAfterSeconds: Int)
    case unavailable(String)
    case internalError

    public var status: HTTPResponse.Status {
        switch self {
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .unsupportedMediaType: .unsupportedMediaType
        case .invalidUTF8, .invalidJSON, .missingField, .invalidField: .badRequest
        case .bodyTooLarge: .contentTooLarge
        case .text(.tooLong): .contentTooLarge
        case .text: .badRequest
        case .conflict: .conflict
        case .rateLimited: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    public var code: String {
        switch self {
        case .unauthorized: "auth.unauthorized"
        case .notFound: "request.not_found"
        case .methodNotAllowed: "request.method_not_allowed"
        case .unsupportedMediaType: "request.unsupported_media_type"
        case .invalidUTF8: "request.invalid_utf8"
        case .invalidJSON: "request.invalid_json"
        case .missingField: "request.missing_field"
        case .invalidField: "request.invalid_field"
        case .bodyTooLarge: "request.body_too_large"
        case .text(let error): error.code
        case .conflict: "request.conflict"
        case .rateLimited: "request.rate_limited"
        case .unavailable: "service.unavailable"
        case .internalError: "service.internal_error"
        }
    }

    public var message: String {
        switch self {
        case .unauthorized: "missing or unknown API key: send Authorization: Bearer <key>"
        case .notFound(let what): "\(what) not found"
        case .methodNotAllowed: "method not allowed on this path"
        case .unsupportedMediaType(let type): "content type \(type ?? "(none)") is not supported: send application/json"
        case .invalidUTF8: "the request body is not valid UTF-8"
        case .invalidJSON(let detail): "the request body is not the JSON expected: \(detail)"
        case .missingField(let field): "field \"\(field)\" is required"
        case .invalidField(let field, let reason): "field \"\(field)\" is invalid: \(reason)"
        case .bodyTooLarge(let limit): "the request body is over \(limit) bytes"
        case .text(let error): error.description
        case .conflict(let detail): detail
        case .rateLimited(let seconds): "too many requests for this tenant; retry after \(seconds) s"
        case .unavailable(let detail): "service unavailable: \(detail)"
        case .internalError: "internal error; the request was not applied"
        }
    }

    public var messageZH: String {
        switch self {
        case .unauthorized: "缺少或无效的 API 密钥：请发送 Authorization: Bearer <密钥>"
        case .notFound(let what): "未找到 \(what)"
        case .methodNotAllowed: "此路径不支持该方法"
        case .unsupportedMediaType(let type): "不支持的内容类型 \(type ?? "（无）")：请发送 application/json"
        case .invalidUTF8: "请求体不是合法的 UTF-8"
        case .invalidJSON: "请求体不是所需的 JSON"
        case .missingField(let field): "缺少必填字段 \"\(field)\""
        case .invalidField(let field, let reason): "字段 \"\(field)\" 无效：\(reason)"
        case .bodyTooLarge(let limit): "请求体超过 \(limit) 字节"
        case .text(let error): error.chineseDescription
        case .conflict: "请求与现有数据冲突"
        case .rateLimited(let seconds): "该租户请求过多，请 \(seconds) 秒后重试"
        case .unavailable: "服务暂不可用"
        case .internalError: "内部错误；请求未被执行"
        }
    }

    /// The JSON body of the error.
    public var body: Data {
        let payload = ["error": ["code": code, "message": message, "message_zh": messageZH]]
        return (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// The error a lower layer's failure becomes.
    static func from(_ error: ConversationServiceError) -> APIError {
        switch error {
        case .text(let text): .text(text)
        case .invalid(let field, let reason): .invalidField(field: field, reason: reason)
        case .customerMismatch(let id): .conflict("conversation \(id) belongs to another customer")
        case .unknownConversation(let id): .notFound(what: "conversation \(id)")
        case .conversationTooLong(let limit): .conflict("the conversation already has \(limit) turns, the most one may hold")
        case .store: .unavailable("the profile store failed; the turn was not applied")
        }
    }
}

extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if case .rateLimited(let seconds) = self { headers[.retryAfter] = String(seconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
