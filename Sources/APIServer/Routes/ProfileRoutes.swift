import ConversationService
import Foundation
import Hummingbird
import Offers
import Profiles

/// Feedback on an offer, from the agent's desk.
struct FeedbackBody: Decodable, Sendable {
    let outcome: OfferOutcome
    let channel: ContactChannel
    let key: String?
    let at: Date?

    enum CodingKeys: String, CodingKey {
        case outcome, channel, key, at
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let outcome = try container.decode(String.self, forKey: .outcome)
        guard let known = OfferOutcome(rawValue: outcome), known != .presented else {
            throw APIError.invalidField(field: "outcome", reason: "accepted, rejected or not_relevant")
        }
        self.outcome = known
        let channel = try container.decodeIfPresent(String.self, forKey: .channel) ?? ContactChannel.agent.rawValue
        guard let channel = ContactChannel(rawValue: channel) else {
            throw APIError.invalidField(field: "channel", reason: ContactChannel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.channel = channel
        key = try container.decodeIfPresent(String.self, forKey: .key)
        at = try container.decodeIfPresent(Date.self, forKey: .at)
    }
}

/// A customer's profile as the API shows it.
struct ProfileView: Encodable {
    let customerID: String
    let known: Bool
    let profile: CustomerProfile?
    let tags: [NeedTag]

    enum CodingKeys: String, CodingKey {
        case known, profile, tags
        case customerID = "customer_id"
    }
}

struct FeedbackResult: Encodable {
    let recorded: Bool
    let contact: OfferContact
    let offers: OfferDecision
}

/// `GET /v1/profiles/{customer_id}` and
/// `POST /v1/profiles/{customer_id}/offers/{offer_id}/feedback`.
struct ProfileRoutes {
    let conversations: LiveConversations
    let maxBodyBytes: Int

    func add(to router: Router<XinshengRequestContext>) {
        router.get("/v1/profiles/:customer_id") { _, context in
            let tenant = try context.requireTenant()
            let customer = try context.parameters.require("customer_id")
            try LiveConversations.validate(id: customer, field: "customer_id")
            let profile: CustomerProfile?, tags: [NeedTag]
            do {
                profile = try await conversations.store.profile(tenant: tenant, customerID: customer)
                tags = try await conversations.store.tags(tenant: tenant, customerID: customer)
            } catch {
                throw APIError.unavailable("the profile store failed")
            }
            guard profile != nil || !tags.isEmpty else { throw APIError.notFound(what: "customer \(customer)") }
            return try JSONBody.response(ProfileView(customerID: customer, known: profile != nil, profile: profile, tags: tags))
        }
        router.post("/v1/profiles/:customer_id/offers/:offer_id/feedback") { request, context in
            let tenant = try context.requireTenant()
            let customer = try context.parameters.require("customer_id")
            let offerID = try context.parameters.require("offer_id")
            try LiveConversations.validate(id: customer, field: "customer_id")
            guard let offer = conversations.evaluator.rules.catalogue.offer(id: offerID) else {
                throw APIError.notFound(what: "offer \(offerID)")
            }
            let body = try await JSONBody.decode(FeedbackBody.self, from: request, limit: maxBodyBytes)
            // Whole milliseconds, as the store keeps them: the decision that follows must see this contact as past.
            let when = Date(timeIntervalSince1970: ((body.at ?? Date()).timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            if let key = body.key, key.isEmpty || key.count > 200 {
                throw APIError.invalidField(field: "key", reason: "1–200 characters")
            }
            let contact = OfferContact(tenant: tenant, customerID: customer, offerID: offer.id, kind: offer.kind, channel: body.channel,
                                       outcome: body.outcome, at: when,
                                       key: body.key.map { "api:\($0)" } ?? "feedback:\(customer):\(offer.id):\(body.channel.rawValue):\(StoredJSON.millis(when))")
            let recorded: Bool
            do {
                recorded = try await conversations.store.recordContact(contact)
            } catch {
                throw APIError.unavailable("the profile store failed")
            }
            let offers = try await conversations.decide(tenant: tenant, customerID: customer, at: when)
            return try JSONBody.response(FeedbackResult(recorded: recorded, contact: contact, offers: offers), status: recorded ? .created : .ok)
        }
    }
}
