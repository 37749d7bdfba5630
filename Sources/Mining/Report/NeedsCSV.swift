import Foundation

/// `needs.csv`: one row per need of the taxonomy, most rows first, for the
/// analyst's spreadsheet.
///
/// Quoting follows RFC 4180: a field holding a comma, a quote or a line
/// break is quoted, with its quotes doubled. Lines end in `\n`. Shares and
/// confidences are plain decimals (`0.1234`), not percentages, so a
/// spreadsheet reads them as numbers. There is no byte-order mark, so the
/// header is exactly `need,name_zh,…` for scripts.
enum NeedsCSV {
    static let header = ["need", "name_zh", "rows", "share", "mean_confidence", "top_evidence"]
    /// Phrases in the `top_evidence` column.
    static let evidenceCount = 5
    /// Joins the phrases: the Chinese enumeration comma, which phrases rarely contain.
    static let evidenceSeparator = "、"

    static func render(_ figures: ReportFigures) -> String {
        var lines = [line(header)]
        for figure in figures.needs {
            lines.append(line([
                figure.need.rawValue,
                figure.need.chineseName,
                String(figure.rows),
                ReportFormat.decimal(figure.share, places: 4),
                ReportFormat.decimal(figure.meanConfidence, places: 3),
                inert(figure.topEvidence.prefix(evidenceCount).map(\.phrase).joined(separator: evidenceSeparator)),
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",")
    }

    /// Customer words that a spreadsheet would run as a formula (`=…`, `+…`,
    /// `-…`, `@…`) get a leading apostrophe, which spreadsheets show as text.
    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// The field as it must appear in the file.
    static func quoted(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
