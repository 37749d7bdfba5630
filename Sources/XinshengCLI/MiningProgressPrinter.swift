import Foundation
import Mining

/// Shows a run's progress on standard error: a bar redrawn in place on a
/// terminal (at most 5 times a second), or one JSON line every `interval`
/// seconds when standard error is a file or a pipe (logs, CI, schedulers).
final class MiningProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let interval: Double
    private var lastShown = Date.distantPast
    private var drewBar = false
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(interval: Double) {
        self.interval = interval
    }

    func show(_ progress: MiningProgress) {
        lock.withLock {
            let now = Date()
            guard progress.finished || now.timeIntervalSince(lastShown) >= (isTerminal ? 0.2 : interval) else { return }
            lastShown = now
            if isTerminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.bar(progress)).utf8))
                drewBar = true
            } else if var line = try? encoder.encode(ProgressLine(progress: progress)) {
                line.append(0x0A)
                FileHandle.standardError.write(line)
            }
        }
    }

    /// Ends the bar's line.
    func finish() {
        lock.withLock {
            if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
            drewBar = false
        }
    }

    struct ProgressLine: Encodable {
        let progress: MiningProgress
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(["mine_progress": progress])
        }
    }

    /// `[██████░░░░░░] 48.2%  123,456 rows  9,876 rows/s  ETA 0:42  rejects 12  reviews.jsonl`
    static func bar(_ progress: MiningProgress) -> String {
        let width = 24
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = String(format: "%5.1f%%", progress.fraction * 100)
        let eta = progress.finished ? "done" : progress.secondsLeft.map { "ETA " + duration($0) } ?? "ETA –"
        return "[\(bar)] \(percent)  \(ReportFormat.count(progress.rowsRead)) rows  \(ReportFormat.count(Int(progress.rowsPerSecond))) rows/s  \(eta)  rejects \(ReportFormat.count(progress.rowsRejected))  \(progress.file)"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// The lines printed when a run ends.
enum MiningResultPrinter {
    static func print(_ result: MiningRun.Result, runID: String, reportDirectory: String?) {
        let summary = result.summary
        let g = ReportFormat.count
        Swift.print("run \(runID): \(summary.finished ? "finished (完成)" : "stopped (已暂停)")\(summary.resumes > 0 ? ", resumed \(summary.resumes)×" : "")")
        Swift.print("rows read \(g(summary.rowsRead)) = analysed \(g(summary.rowsAnalysed)) + rejected \(g(summary.rowsRejected))"
            + (summary.rowsOtherShards > 0 ? " + other shards \(g(summary.rowsOtherShards))" : "")
            + (summary.isBalanced ? "  ✓" : "  ✗ UNBALANCED"))
        let withNeed = summary.rowsAnalysed - summary.rowsWithoutNeed
        Swift.print("rows with a need \(g(withNeed)); rows with a customer id \(g(summary.rowsWithCustomer)); tag writes \(g(summary.tagWrites)); feed events \(g(summary.feedEvents))")
        let seconds = summary.elapsedSeconds
        if seconds > 0 {
            Swift.print(String(format: "%.2f s, %@ rows/s", seconds, g(Int(Double(summary.rowsRead) / seconds))))
        }
        let top = summary.needRows.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
        if !top.isEmpty { Swift.print("top needs: " + top.map { "\($0.key) \(g($0.value))" }.joined(separator: ", ")) }
        if summary.rowsRejected > 0 {
            Swift.print("rejects (\(g(summary.rowsRejected))): " + summary.rejectsByReason.sorted { $0.key < $1.key }
                .map { "\($0.key) \(g($0.value))" }.joined(separator: ", ") + " → \(result.rejectsFile.path)")
        }
        if let reportDirectory { Swift.print("report: \(reportDirectory)/report.html, summary.json, needs.csv") }
    }
}
