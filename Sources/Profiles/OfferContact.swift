import Foundation

/// What kind of product an offer is; the contact policies act on kinds
/// (hardship blocks `credit`, consent exempts `relief` and `service`).
public enum OfferKind: String, Codable, Sendable, CaseIterable {
    case credit
    case deposit
    case insurance
    case wealth
    case relief
    case service
}

/// What became of an offer raised with a customer.
public enum OfferOutcome: String, Codable, Sendable, CaseIterable {
    /// Sent or shown (an outbound message, a push, a call); no answer yet.
    case presented
    case accepted
    case rejected
    case notRelevant = "not_relevant"
}

/// One contact about one offer: the customer's contact history, counted by
/// frequency caps and read by cool-downs. Agent feedback is recorded as a
/// contact with its outcome.
public struct OfferContact: Codable, Sendable, Equatable {
    public let tenant: String
    public let customerID: String
    public let offerID: String
    public let kind: OfferKind
    public let channel: ContactChannel
    public let outcome: OfferOutcome
    public let at: Date
    /// Idempotency key: recording the same key twice keeps the first.
    public let key: String

    public init(tenant: String, customerID: String, offerID: String, kind: OfferKind, channel: ContactChannel,
                outcome: OfferOutcome, at: Date, key: String) {
        self.tenant = tenant
        self.customerID = customerID
        self.offerID = offerID
        self.kind = kind
        self.channel = channel
        self.outcome = outcome
        self.at = at
        self.key = key
    }

    enum CodingKeys: String, CodingKey {
        case tenant, kind, channel, outcome, at, key
        case customerID = "customer_id"
        case offerID = "offer_id"
    }

    /// Rebuilds a contact from a store row (key, offer, kind, channel,
    /// outcome, milliseconds); both stores keep the same columns.
    public init(stored row: (String, String, String, String, String, Int64), tenant: String, customerID: String) throws(ProfileStoreError) {
        guard let kind = OfferKind(rawValue: row.2), let channel = ContactChannel(rawValue: row.3),
              let outcome = OfferOutcome(rawValue: row.4) else {
            throw .storage("unreadable offer contact \(row.0): \(row.2)/\(row.3)/\(row.4)")
        }
        self.init(tenant: tenant, customerID: customerID, offerID: row.1, kind: kind, channel: channel, outcome: outcome,
                  at: Date(timeIntervalSince1970: Double(row.5) / 1000), key: row.0)
    }

    /// Refuses what a store must not keep.
    public func validate() throws(ProfileStoreError) {
        if tenant.isEmpty || tenant.count > 64 { throw .invalid(field: "tenant", reason: "1–64 characters") }
        if customerID.isEmpty || customerID.count > 128 { throw .invalid(field: "customer_id", reason: "1–128 characters") }
        if offerID.isEmpty || offerID.count > 64 { throw .invalid(field: "offer_id", reason: "1–64 characters") }
        if key.isEmpty || key.count > 256 { throw .invalid(field: "key", reason: "1–256 characters") }
    }
}
