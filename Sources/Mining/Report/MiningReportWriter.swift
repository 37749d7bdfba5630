import Foundation

/// Writes the report of a mining run: what `xinsheng mine` leaves for the
/// analyst beside the tags.
///
/// Three files, all derived from the same `ReportFigures` so they agree:
/// - `summary.json`: the `MiningSummary` plus derived figures (shares, mean
///   confidences, top evidence phrases, the accounting check), for scripts;
/// - `needs.csv`: one row per need of the taxonomy, for spreadsheets;
/// - `report.html`: one self-contained page with SVG charts, for people.
///
/// The writer is pure apart from the files it writes: no clock, no network,
/// the same summary always gives the same bytes.
public struct MiningReportWriter {
    public static let summaryFileName = "summary.json"
    public static let needsFileName = "needs.csv"
    public static let reportFileName = "report.html"

    public init() {}

    /// Writes `summary.json`, `needs.csv` and `report.html` into `directory`
    /// (created if missing), each file replaced atomically.
    /// - Parameters:
    ///   - summary: The run's summary, finished or not (an unfinished run is marked as partial).
    ///   - directory: Where the three files go.
    /// - Throws: File-system errors, and `EncodingError` if the summary holds a non-finite number.
    public func write(_ summary: MiningSummary, to directory: URL) throws {
        let figures = ReportFigures(summary)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SummaryJSON.encode(figures).write(to: directory.appendingPathComponent(Self.summaryFileName), options: .atomic)
        try Data(NeedsCSV.render(figures).utf8).write(to: directory.appendingPathComponent(Self.needsFileName), options: .atomic)
        try Data(ReportHTML(figures: figures).document.utf8).write(to: directory.appendingPathComponent(Self.reportFileName), options: .atomic)
    }
}
