import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reading request bodies and writing JSON responses, with the API's errors
/// for everything a client can get wrong.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// Checks the content type, the size and the encoding, then decodes.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let contentType = request.headers[.contentType]
        guard let contentType, contentType.lowercased().hasPrefix("application/json") else {
            throw APIError.unsupportedMediaType(contentType.map { String($0.prefix(60)) })
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(limit: limit)
        }
        return try decode(type, bytes: Data(buffer: buffer))
    }

    /// Decodes one JSON document (a request body, a WebSocket message).
    static func decode<T: Decodable>(_ type: T.Type, bytes: Data) throws -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw APIError.invalidUTF8 }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: bytes)
        } catch let error as APIError {
            throw error
        } catch DecodingError.keyNotFound(let key, let context) {
            throw APIError.missingField(path(context.codingPath + [key]))
        } catch DecodingError.valueNotFound(_, let context) {
            throw APIError.missingField(path(context.codingPath))
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw APIError.invalidJSON("the body must be one JSON object")
        } catch DecodingError.typeMismatch(let expected, let context) {
            throw APIError.invalidField(field: path(context.codingPath), reason: "expected \(describe(expected))")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw APIError.invalidField(field: path(context.codingPath), reason: context.debugDescription)
        } catch {
            throw APIError.invalidJSON("not a JSON object of the documented shape")
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a value of another type"
        }
    }
}

extension Request {
    /// A query parameter as a whole number in `range`, or `fallback` when absent.
    func integerQuery(_ name: String, in range: ClosedRange<Int64>, default fallback: Int64) throws -> Int64 {
        guard let raw = uri.queryParameters.get(name) else { return fallback }
        guard let value = Int64(raw), range.contains(value) else {
            throw APIError.invalidField(field: name, reason: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
