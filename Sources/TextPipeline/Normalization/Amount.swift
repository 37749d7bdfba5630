import Foundation

/// A sum of money recognised in text, whatever way it was written
/// (`5w`, `5万`, `10个w`, `3k`, `八千`, `1.2w`, `¥150`, `50000元`, `两万五`).
public struct Amount: Hashable, Codable, Sendable {
    /// The value in units of `currency` (yuan for CNY).
    public let value: Decimal
    /// ISO 4217 code; `CNY` unless the text names another currency.
    public let currency: String

    public init(value: Decimal, currency: String = "CNY") {
        self.value = value
        self.currency = currency
    }

    /// The canonical spelling of the token: the plain decimal value and the currency, e.g. `25000 CNY`.
    public var canonical: String {
        "\(NSDecimalNumber(decimal: value).stringValue) \(currency)"
    }
}

/// An amount found in a text, with its span in that text (UTF-16).
public struct AmountMatch: Hashable, Sendable {
    public let span: TextSpan
    public let amount: Amount
}
