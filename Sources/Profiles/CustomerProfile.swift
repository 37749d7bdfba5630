import Foundation

/// The channels an offer can reach a customer through.
public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    case agent
    case appPush = "app_push"
    case sms
    case phone
}

/// What the offer rules need to know about a customer besides their needs.
public struct CustomerProfile: Codable, Sendable, Equatable {
    public let tenant: String
    public let customerID: String
    /// e.g. `18-24`, `25-34`, `35-44`, `45-54`, `55-64`, `65+`.
    public var ageBand: String?
    /// e.g. `mass`, `affluent`, `private`, `small_business`.
    public var segment: String?
    public var productsHeld: [String]
    /// Marketing consent per channel; a channel absent here has no consent.
    public var marketingConsent: [ContactChannel: Bool]
    /// IANA time zone, e.g. `Asia/Shanghai`.
    public var timezone: String

    public init(tenant: String, customerID: String, ageBand: String? = nil, segment: String? = nil, productsHeld: [String] = [],
                marketingConsent: [ContactChannel: Bool] = [:], timezone: String = "Asia/Shanghai") {
        self.tenant = tenant
        self.customerID = customerID
        self.ageBand = ageBand
        self.segment = segment
        self.productsHeld = productsHeld
        self.marketingConsent = marketingConsent
        self.timezone = timezone
    }

    enum CodingKeys: String, CodingKey {
        case tenant, segment, timezone
        case customerID = "customer_id"
        case ageBand = "age_band"
        case productsHeld = "products_held"
        case marketingConsent = "marketing_consent"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenant = try container.decode(String.self, forKey: .tenant)
        customerID = try container.decode(String.self, forKey: .customerID)
        ageBand = try container.decodeIfPresent(String.self, forKey: .ageBand)
        segment = try container.decodeIfPresent(String.self, forKey: .segment)
        productsHeld = try container.decodeIfPresent([String].self, forKey: .productsHeld) ?? []
        let consent = try container.decodeIfPresent([String: Bool].self, forKey: .marketingConsent) ?? [:]
        var decoded: [ContactChannel: Bool] = [:]
        for (name, value) in consent {
            guard let channel = ContactChannel(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .marketingConsent, in: container,
                                                       debugDescription: "unknown channel \(name) (agent, app_push, sms, phone)")
            }
            decoded[channel] = value
        }
        marketingConsent = decoded
        timezone = try container.decodeIfPresent(String.self, forKey: .timezone) ?? "Asia/Shanghai"
        guard TimeZone(identifier: timezone) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .timezone, in: container, debugDescription: "unknown time zone \(timezone)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(customerID, forKey: .customerID)
        try container.encodeIfPresent(ageBand, forKey: .ageBand)
        try container.encodeIfPresent(segment, forKey: .segment)
        try container.encode(productsHeld, forKey: .productsHeld)
        try container.encode(Dictionary(uniqueKeysWithValues: marketingConsent.map { ($0.key.rawValue, $0.value) }), forKey: .marketingConsent)
        try container.encode(timezone, forKey: .timezone)
    }
}
