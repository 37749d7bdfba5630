import Foundation
import Profiles

/// The JSON form of a decision (the CLI's `--format json`, the service's
/// responses): every reason with its rule id and both messages.
extension OfferDecision: Encodable {
    enum CodingKeys: String, CodingKey {
        case offers, suppressed, channel
        case customerID = "customer_id"
        case decidedAt = "decided_at"
        case hardshipActive = "hardship_active"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerID, forKey: .customerID)
        try container.encode(channel, forKey: .channel)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(hardshipActive, forKey: .hardshipActive)
        try container.encode(offers, forKey: .offers)
        try container.encode(suppressed, forKey: .suppressed)
    }
}

enum OfferJSONKeys: String, CodingKey {
    case id, kind, rank, score, reasons, rule, category, message
    case nameZH = "name_zh"
    case nameEN = "name_en"
    case messageZH = "message_zh"
}

extension RankedOffer: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: OfferJSONKeys.self)
        try offer.encodeSummary(into: &container)
        try container.encode(rank, forKey: .rank)
        try container.encode(fourDecimals(score), forKey: .score)
        try container.encode(reasons, forKey: .reasons)
    }
}

extension SuppressedOffer: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: OfferJSONKeys.self)
        try offer.encodeSummary(into: &container)
        try container.encode(fourDecimals(score), forKey: .score)
        try container.encode(reasons, forKey: .reasons)
    }
}

extension OfferReason: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: OfferJSONKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(message, forKey: .message)
        try container.encode(messageZH, forKey: .messageZH)
    }
}

extension SuppressionReason: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: OfferJSONKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(category.rawValue, forKey: .category)
        try container.encode(message, forKey: .message)
        try container.encode(messageZH, forKey: .messageZH)
    }
}

/// Scores are printed to four decimals, as confidences are.
private func fourDecimals(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

extension Offer {
    fileprivate func encodeSummary(into container: inout KeyedEncodingContainer<OfferJSONKeys>) throws {
        try container.encode(id, forKey: .id)
        try container.encode(nameZH, forKey: .nameZH)
        try container.encode(nameEN, forKey: .nameEN)
        try container.encode(kind, forKey: .kind)
    }
}
