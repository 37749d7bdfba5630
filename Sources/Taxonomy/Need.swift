/// A latent need: what the customer will need soon (taxonomy §3).
///
/// Raw values are the contract ids the tagging engine reads verbatim.
public enum Need: String, CaseIterable, Codable, Sendable {
    case taxPlanning = "tax_planning"
    case financialHardship = "financial_hardship"
    case homePurchase = "home_purchase"
    case homeRenovation = "home_renovation"
    case carPurchase = "car_purchase"
    case education
    case retirement
    case wealthGrowth = "wealth_growth"
    case healthProtection = "health_protection"
    case travelOverseas = "travel_overseas"
    case businessFunding = "business_funding"
    case familyMilestone = "family_milestone"

    /// The label's Chinese name, as in the taxonomy table.
    public var chineseName: String {
        switch self {
        case .taxPlanning: "税务筹划"
        case .financialHardship: "资金困难"
        case .homePurchase: "购房"
        case .homeRenovation: "装修"
        case .carPurchase: "购车"
        case .education: "教育"
        case .retirement: "养老"
        case .wealthGrowth: "理财增值"
        case .healthProtection: "健康保障"
        case .travelOverseas: "出行境外"
        case .businessFunding: "经营资金"
        case .familyMilestone: "人生大事"
        }
    }
}
