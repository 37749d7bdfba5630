import Analysis
import ConversationService
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// A turn as the API receives it (HTTP body or WebSocket message).
struct TurnBody: Decodable, Sendable {
    let speaker: Speaker
    let text: String
    let customerID: String
    let turnID: String?
    let at: Date?

    enum CodingKeys: String, CodingKey {
        case speaker, text, at
        case customerID = "customer_id"
        case turnID = "turn_id"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let speaker = try container.decode(String.self, forKey: .speaker)
        guard let known = Speaker(rawValue: speaker) else {
            throw APIError.invalidField(field: "speaker", reason: "customer or agent")
        }
        self.speaker = known
        text = try container.decode(String.self, forKey: .text)
        customerID = try container.decode(String.self, forKey: .customerID)
        turnID = try container.decodeIfPresent(String.self, forKey: .turnID)
        at = try container.decodeIfPresent(Date.self, forKey: .at)
    }
}

/// `POST /v1/conversations/{id}/turns`, `GET /v1/conversations/{id}` and
/// the WebSocket `/v1/conversations/{id}/live`.
struct ConversationRoutes {
    let conversations: LiveConversations
    let metrics: ServiceMetrics
    let maxBodyBytes: Int

    func add(to router: Router<XinshengRequestContext>) {
        router.post("/v1/conversations/:id/turns") { request, context in
            let tenant = try context.requireTenant()
            let id = try context.parameters.require("id")
            let body = try await JSONBody.decode(TurnBody.self, from: request, limit: maxBodyBytes)
            let result = try await take(body, tenant: tenant, conversationID: id)
            return try JSONBody.response(result, status: result.duplicate ? .ok : .created)
        }
        router.get("/v1/conversations/:id") { _, context in
            let tenant = try context.requireTenant()
            let id = try context.parameters.require("id")
            return try JSONBody.response(try await conversations.view(tenant: tenant, conversationID: id, at: Date()))
        }
        router.ws("/v1/conversations/:id/live") { request, context in
            _ = try context.requireTenant()
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                throw APIError.invalidField(field: "Upgrade", reason: "this path is a WebSocket: connect with Upgrade: websocket")
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let tenant = context.requestContext.tenant,
                  let id = context.requestContext.parameters.get("id") else { return }
            for try await message in inbound.messages(maxSize: maxBodyBytes) {
                let reply: Data
                do {
                    guard case .text(let text) = message else {
                        throw APIError.invalidJSON("send each turn as a text message holding one JSON object")
                    }
                    let body = try JSONBody.decode(TurnBody.self, bytes: Data(text.utf8))
                    reply = try JSONBody.encoder.encode(try await take(body, tenant: tenant, conversationID: id))
                } catch {
                    reply = ErrorAndMetricsMiddleware.apiError(for: error).body
                }
                try await outbound.write(.text(String(decoding: reply, as: UTF8.self)))
            }
        }
    }

    func take(_ body: TurnBody, tenant: String, conversationID: String) async throws -> TurnResult {
        let input = TurnInput(tenant: tenant, conversationID: conversationID, customerID: body.customerID, speaker: body.speaker,
                              text: body.text, turnID: body.turnID, at: body.at ?? Date())
        let result = try await conversations.take(input)
        if !result.duplicate {
            metrics.turnAnalysed(speaker: body.speaker.rawValue)
            for change in result.tagChanges { metrics.tagWritten(change: change.kind.rawValue) }
            for suppressed in result.conversation.offers?.suppressed ?? [] {
                for reason in suppressed.reasons { metrics.offerSuppressed(category: reason.category.rawValue, rule: reason.rule) }
            }
        }
        metrics.conversationsHeld(conversations.count)
        return result
    }
}
