import Taxonomy

/// The report's colours. Each need keeps one colour in every chart, chip and
/// example, so an analyst who learns "green is 购房" can read any part of the
/// report at a glance. Muted tones that stay apart in print and for the
/// common red–green deficiencies as far as twelve hues allow.
enum ReportPalette {
    static func color(for need: Need) -> String {
        switch need {
        case .taxPlanning: "#4C72B0"
        case .financialHardship: "#C44E52"
        case .homePurchase: "#55A868"
        case .homeRenovation: "#DD8452"
        case .carPurchase: "#64B5CD"
        case .education: "#C9A93B"
        case .retirement: "#8172B3"
        case .wealthGrowth: "#2A9D8F"
        case .healthProtection: "#DA8BC3"
        case .travelOverseas: "#937860"
        case .businessFunding: "#3D5A80"
        case .familyMilestone: "#E07A9A"
        }
    }

    static func color(for sentiment: Sentiment) -> String {
        switch sentiment {
        case .negative: "#D1495B"
        case .neutral: "#A7B0BC"
        case .positive: "#3F9C74"
        }
    }

    static func color(for emotion: Emotion) -> String {
        switch emotion {
        case .anger: "#B23A48"
        case .anxiety: "#E09F3E"
        }
    }

    /// Bars that carry no category colour (intents, rejects, unknown labels).
    static let neutralBar = "#5B7095"
    /// Monthly volume behind the need lines.
    static let volume = "#DCE2EA"
    static let ink = "#1F2933"
    static let muted = "#6B7785"
    static let grid = "#E4E8EE"
}
