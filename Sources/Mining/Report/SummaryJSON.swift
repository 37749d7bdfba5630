import Foundation

/// `summary.json`: every field of the `MiningSummary` at the top level (so the
/// file decodes back into one), plus a `derived` object with the figures the
/// report computes from it.
///
/// Keys are spelled out in `CodingKeys` rather than by
/// `.convertToSnakeCase`, which would also rewrite the dictionary keys that
/// hold data (evidence phrases such as "ATM机", file mappings).
struct SummaryJSON: Encodable {
    let figures: ReportFigures

    /// The JSON bytes: sorted keys, pretty printed, dates in ISO 8601.
    static func encode(_ figures: ReportFigures) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(SummaryJSON(figures: figures))
    }

    func encode(to encoder: Encoder) throws {
        try figures.summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Derived(figures), forKey: .derived)
    }

    enum CodingKeys: String, CodingKey {
        case derived
    }

    struct Derived: Encodable {
        var accounting: Accounting
        var rowsWithNeed: Int
        /// Rows with a need / rows analysed.
        var rowsWithNeedShare: Double
        /// Over every need label given in the run.
        var meanConfidence: Double
        /// Every need of the taxonomy, in the order of needs.csv.
        var needs: [ReportFigures.NeedFigure]

        init(_ figures: ReportFigures) {
            let summary = figures.summary
            accounting = Accounting(
                rowsRead: summary.rowsRead,
                rowsAnalysed: summary.rowsAnalysed,
                rowsRejected: summary.rowsRejected,
                rowsOtherShards: summary.rowsOtherShards,
                rowsAccounted: figures.rowsAccounted,
                balanced: figures.isBalanced
            )
            rowsWithNeed = figures.rowsWithNeed
            rowsWithNeedShare = figures.shareOfAnalysed(figures.rowsWithNeed)
            meanConfidence = figures.meanConfidence
            needs = figures.needs
        }

        enum CodingKeys: String, CodingKey {
            case accounting, needs
            case rowsWithNeed = "rows_with_need"
            case rowsWithNeedShare = "rows_with_need_share"
            case meanConfidence = "mean_confidence"
        }
    }

    /// rows_read = rows_analysed + rows_rejected + rows_other_shards.
    struct Accounting: Encodable {
        var rowsRead, rowsAnalysed, rowsRejected, rowsOtherShards, rowsAccounted: Int
        var balanced: Bool

        enum CodingKeys: String, CodingKey {
            case balanced
            case rowsRead = "rows_read"
            case rowsAnalysed = "rows_analysed"
            case rowsRejected = "rows_rejected"
            case rowsOtherShards = "rows_other_shards"
            case rowsAccounted = "rows_accounted"
        }
    }
}

/// A need's figures as summary.json shows them (with the need's Chinese name).
extension ReportFigures.NeedFigure: Encodable {
    enum CodingKeys: String, CodingKey {
        case need, rows, share
        case nameZH = "name_zh"
        case meanConfidence = "mean_confidence"
        case topEvidence = "top_evidence"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(need.rawValue, forKey: .need)
        try container.encode(need.chineseName, forKey: .nameZH)
        try container.encode(rows, forKey: .rows)
        try container.encode(share, forKey: .share)
        try container.encode(meanConfidence, forKey: .meanConfidence)
        try container.encode(topEvidence, forKey: .topEvidence)
    }
}
