/// The kinds of personal data masked before anything is logged, stored or classified.
public enum PIIKind: String, CaseIterable, Codable, Sendable {
    case mobilePhone = "mobile_phone"
    case residentID = "resident_id"
    case bankCard = "bank_card"
    case email

    /// The typed placeholder that replaces the value in masked text.
    public var placeholder: String {
        switch self {
        case .mobilePhone: "[手机号]"
        case .residentID: "[身份证]"
        case .bankCard: "[银行卡]"
        case .email: "[邮箱]"
        }
    }
}

/// One masked value: its kind, where its placeholder sits in the masked
/// text, and where the value was in the original (UTF-16 spans).
public struct PIIEntity: Hashable, Sendable {
    public let kind: PIIKind
    public let maskedSpan: TextSpan
    public let sourceSpan: TextSpan
}

/// A masked text: the normalised text with every PII value replaced by its
/// placeholder, still aligned to the original.
public struct MaskedText: Sendable {
    public let text: AlignedText
    public let entities: [PIIEntity]
}
