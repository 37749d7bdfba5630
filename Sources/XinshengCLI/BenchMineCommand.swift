import Analysis
import ArgumentParser
import Foundation
import Mining
import Profiles
import ProfilesSQLite

struct BenchMineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "End-to-end rows/s and MB/s of `xinsheng mine` on a generated archive, against single-core analysis.",
        discussion: """
        Generates an archive of --rows rows in each format (JSONL, CSV, XML)
        from the texts of corpora/chat and corpora/comments (each row one of
        those hand-written texts, verbatim, with an id, a customer id on 7
        rows in 10, and a time spread over 2025), then mines each file into a
        fresh SQLite store with --workers workers, as `xinsheng mine` does.
        Prints per format: seconds, rows/s, MB/s, peak resident memory,
        tag writes, and cores busy (the process's CPU seconds over the
        wall seconds: below the worker count means the pipeline stalled or
        other programs took the cores); and, measured in the same run, the single-core analysis
        throughput (the baseline) and the parallel efficiency:
        rows/s ÷ (workers × single-core rows/s).

        The target (issue 8): 1 M rows in under 60 s with RSS under 300 MB on
        2 cores.

        Examples:
          xinsheng bench mine
          xinsheng bench mine --rows 200000 --formats jsonl
          xinsheng bench mine --rows 2000000 --formats jsonl --keep /tmp/archive
        """
    )

    @Option(name: .long, help: "Rows in each generated archive.")
    var rows = 1_000_000

    @Option(name: .long, help: ArgumentHelp("Formats to measure, comma-separated.", valueName: "jsonl,csv,xml"))
    var formats = "jsonl,csv,xml"

    @Option(name: .long, help: ArgumentHelp("Analysis workers.", discussion: "Default: the number of cores.", valueName: "n"))
    var workers: Int?

    @Option(name: .long, help: ArgumentHelp("Keep the generated archives (and stores) in this directory.", valueName: "dir"))
    var keep: String?

    @Option(name: .long, help: "Texts analysed on one core for the baseline.")
    var baselineTexts = 20_000

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard rows > 0, baselineTexts > 0 else { throw ValidationError("--rows and --baseline-texts must be positive") }
        for format in formats.split(separator: ",") where ArchiveFormat(rawValue: String(format)) == nil {
            throw ValidationError("--formats: unknown format '\(format)'; known: jsonl, csv, xml")
        }
    }

    func run() async throws {
        let analyzer = try model.makeAnalyzer(pipeline)
        let texts = try BenchArchive.corpusTexts()
        let workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
        let directory = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-bench-mine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let policy = try StoreOptions.tagPolicy(explicit: nil)

        print("xinsheng bench mine: \(rows) rows a format, \(workers) workers, \(ProcessInfo.processInfo.activeProcessorCount) cores; model \(analyzer.model.version)")
        print("texts: \(texts.count) hand-written lines of corpora/chat and corpora/comments, cycled")
        let baseline = BenchArchive.singleCoreRowsPerSecond(analyzer, texts: Array(texts.prefix(baselineTexts)))
        print(String(format: "baseline: the same per-row analysis on one core: %.0f rows/s (ideal with %d workers: %.0f rows/s)\n",
                     baseline, workers, baseline * Double(workers)))
        print(BenchTiming.pad("format", 8) + BenchTiming.pad("file MB", 10) + BenchTiming.pad("seconds", 10) + BenchTiming.pad("rows/s", 10)
              + BenchTiming.pad("MB/s", 8) + BenchTiming.pad("peak RSS", 11) + BenchTiming.pad("efficiency", 12) + BenchTiming.pad("cores busy", 12) + "tag writes")
        var verdicts: [String] = []
        for name in formats.split(separator: ",") {
            let format = ArchiveFormat(rawValue: String(name))!
            let file = directory.appendingPathComponent("bench.\(format.rawValue)")
            try BenchArchive.write(format, rows: rows, texts: texts, to: file)
            let megabytes = Double(ByteSources.fileSize(path: file.path)) / 1_048_576
            let store = try SQLiteProfileStore(path: directory.appendingPathComponent("bench-\(format.rawValue).sqlite").path, policy: policy)
            ProcessMemory.resetPeak()
            let run = MiningRun(inputs: [.init(path: file.path, format: format)], mapping: ArchiveMapping(), shard: nil, tenant: "bench",
                                analyzer: analyzer, store: store, workers: workers)
            let clock = ContinuousClock()
            let started = clock.now
            let cpuBefore = ProcessCPU.seconds()
            let result = try await run.run(start: .restart, rejectsFile: directory.appendingPathComponent("bench-\(format.rawValue).rejects"))
            let seconds = (clock.now - started) / .seconds(1)
            let coresBusy = (ProcessCPU.seconds() - cpuBefore) / seconds
            let peak = ProcessMemory.peakMegabytes() ?? 0
            let rate = Double(result.summary.rowsRead) / seconds
            print(BenchTiming.pad(format.rawValue, 8) + BenchTiming.pad(String(format: "%.1f", megabytes), 10)
                  + BenchTiming.pad(String(format: "%.1f", seconds), 10) + BenchTiming.pad(String(format: "%.0f", rate), 10)
                  + BenchTiming.pad(String(format: "%.1f", megabytes / seconds), 8) + BenchTiming.pad(String(format: "%.0f MB", peak), 11)
                  + BenchTiming.pad(String(format: "%.0f%%", 100 * rate / (baseline * Double(workers))), 12)
                  + BenchTiming.pad(String(format: "%.2f", coresBusy), 12) + "\(result.summary.tagWrites)")
            let projected = 1_000_000 / rate
            verdicts.append(String(format: "%@: 1 M rows in %.1f s (target < 60 s: %@), peak RSS %.0f MB (target < 300 MB: %@)",
                                   format.rawValue, projected, projected < 60 ? "met" : "NOT met", peak, peak < 300 ? "met" : "NOT met"))
            if !result.summary.isBalanced { throw CLIError.failed("\(format.rawValue): rows did not balance") }
            if keep == nil { try? FileManager.default.removeItem(at: file) }
        }
        print("")
        for verdict in verdicts { print(verdict) }
    }
}

