/// Optional emotion flags on negative texts (taxonomy §1). Raw values are contract ids.
public enum Emotion: String, CaseIterable, Codable, Sendable {
    case anger
    case anxiety

    /// The label's Chinese name.
    public var chineseName: String {
        switch self {
        case .anger: "愤怒"
        case .anxiety: "焦虑"
        }
    }
}
