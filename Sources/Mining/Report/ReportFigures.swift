import Foundation
import Taxonomy

/// The figures derived from a `MiningSummary` that the report's three files
/// share: per-need rows, shares, mean confidences and top evidence phrases,
/// and the accounting check. Computed once, so the JSON, the CSV and the
/// HTML cannot disagree.
struct ReportFigures {
    /// One need of the taxonomy as the report shows it.
    struct NeedFigure: Equatable {
        var need: Need
        var rows: Int
        /// Rows with this need / rows analysed (0 when nothing was analysed).
        var share: Double
        /// Mean classifier confidence over the rows with this need (0 when none).
        var meanConfidence: Double
        /// The most frequent evidence phrases, most frequent first (ties by phrase).
        var topEvidence: [PhraseCount]
    }

    struct PhraseCount: Equatable, Encodable {
        var phrase: String
        var rows: Int
    }

    /// Phrases kept per need in summary.json and the HTML.
    static let topEvidenceCount = 10

    let summary: MiningSummary
    /// Every need of the taxonomy, most rows first, then by id.
    let needs: [NeedFigure]
    /// Analysed rows with at least one need.
    let rowsWithNeed: Int
    /// Mean confidence over every need label given in the run.
    let meanConfidence: Double

    init(_ summary: MiningSummary) {
        self.summary = summary
        let analysed = summary.rowsAnalysed
        needs = Need.allCases.map { need in
            let rows = summary.needRows[need.rawValue] ?? 0
            let confidence = summary.needConfidenceSum[need.rawValue] ?? 0
            return NeedFigure(
                need: need,
                rows: rows,
                share: ReportFormat.fraction(rows, of: analysed),
                meanConfidence: rows > 0 ? confidence / Double(rows) : 0,
                topEvidence: Self.top(summary.evidencePhrases[need.rawValue] ?? [:], count: Self.topEvidenceCount)
            )
        }
        .sorted { ($0.rows, $1.need.rawValue) > ($1.rows, $0.need.rawValue) }
        rowsWithNeed = max(0, analysed - summary.rowsWithoutNeed)
        let labels = summary.needRows.values.reduce(0, +)
        // Summed in need order: a dictionary's order differs from process to process, and
        // floating-point sums with it, so a resumed run's report would differ in the last digit.
        let confidence = summary.needConfidenceSum.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value }
        meanConfidence = labels > 0 ? confidence / Double(labels) : 0
    }

    /// Rows read = analysed + rejected + other shards.
    var isBalanced: Bool { summary.isBalanced }

    /// The right-hand side of the accounting check.
    var rowsAccounted: Int { summary.rowsAnalysed + summary.rowsRejected + summary.rowsOtherShards }

    /// A count as a share of the rows analysed (0 when none were).
    func shareOfAnalysed(_ rows: Int) -> Double {
        ReportFormat.fraction(rows, of: summary.rowsAnalysed)
    }

    /// The `count` most frequent phrases, ties broken by the phrase so the order is stable.
    static func top(_ phrases: [String: Int], count: Int) -> [PhraseCount] {
        phrases
            .filter { !$0.key.isEmpty && $0.value > 0 }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .prefix(count)
            .map { PhraseCount(phrase: $0.key, rows: $0.value) }
    }

    /// Counts by label, largest first then by id, with the label's Chinese name
    /// where the taxonomy has one.
    static func ranked(_ counts: [String: Int], name: (String) -> String?) -> [(id: String, name: String?, rows: Int)] {
        counts
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { (id: $0.key, name: name($0.key), rows: $0.value) }
    }
}
