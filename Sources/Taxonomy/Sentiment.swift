/// The one sentiment every text gets (taxonomy §1). Raw values are contract ids.
public enum Sentiment: String, CaseIterable, Codable, Sendable {
    case negative
    case neutral
    case positive

    /// The label's Chinese name.
    public var chineseName: String {
        switch self {
        case .negative: "负面"
        case .neutral: "中性"
        case .positive: "正面"
        }
    }
}
