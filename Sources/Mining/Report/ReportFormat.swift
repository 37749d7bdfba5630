import Foundation

/// Text formatting shared by the report's files: grouped counts, one-decimal
/// percentages, durations, UTC times and HTML escaping.
///
/// Formats are fixed (not the machine's locale) so that the report reads the
/// same wherever `xinsheng mine` runs and tests can compare exact strings.
public enum ReportFormat {
    /// `12345` → `"12,345"`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A fraction as a percentage with one decimal: `0.1234` → `"12.3%"`.
    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction.isFinite ? fraction * 100 : 0)
    }

    /// A fixed number of decimals, for confidences and CSV fields.
    static func decimal(_ value: Double, places: Int) -> String {
        String(format: "%.\(places)f", value.isFinite ? value : 0)
    }

    /// `part / whole`, or 0 when there is no whole (an empty run divides nothing).
    static func fraction(_ part: Int, of whole: Int) -> Double {
        whole > 0 ? Double(part) / Double(whole) : 0
    }

    /// Seconds as `"1 小时 02 分 03 秒"` (hours only when there are any).
    static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? max(0, Int(seconds.rounded())) : 0
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        if hours > 0 { return String(format: "%d 小时 %02d 分 %02d 秒", hours, minutes, rest) }
        if minutes > 0 { return String(format: "%d 分 %02d 秒", minutes, rest) }
        return "\(rest) 秒"
    }

    /// A time in UTC as `"2025-03-01 09:30:00 UTC"`.
    static func utc(_ date: Date) -> String {
        let calendar = Calendar(identifier: .gregorian)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// Escapes text for HTML (and XML) element content and quoted attribute values.
    ///
    /// Every string that comes from the summary (file names, parameters,
    /// phrases, customer texts) goes through here: customer text is untrusted.
    public static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
