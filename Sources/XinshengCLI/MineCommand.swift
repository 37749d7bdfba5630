import ArgumentParser
import Foundation
import Mining

struct MineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Mine comment archives (JSONL, CSV, XML; gzip too) into need-tags and a report.",
        discussion: """
        Every row's text goes through the whole analysis. Rows that name a
        customer (--customer-field) become idempotent need-tag writes on the
        profile (key file:<name>:<line>, published on the feed); every row
        counts in the report. Rows are read as a stream and analysed on
        --workers cores; memory stays flat whatever the file size.

        Nothing is lost or counted twice: a bad row (invalid UTF-8, no text,
        a field over 1 MB, broken CSV quoting) goes to the rejects file with
        its file, line and reason, and at the end rows read = analysed +
        rejected (+ other shards). Progress is checkpointed in the store in
        the same transaction as the tags: after an interruption (even
        kill -9), `--resume` continues from the last checkpoint and ends
        exactly as an uninterrupted run would.

        On a terminal a progress bar shows rows/s, percent of bytes, ETA and
        rejects; otherwise a JSON progress line goes to standard error every
        few seconds.

        Examples:
          xinsheng mine examples/archive/reviews.jsonl --report out/report
          xinsheng mine export.csv.gz --text-field content --customer-field user_id --time-field created_at
          xinsheng mine feedback.xml --record-element review --report out/xml
          xinsheng mine big.jsonl --resume
          xinsheng mine big.jsonl --shard 2/8 --store-url postgres://xs@db/xinsheng
        """
    )

    @Argument(help: ArgumentHelp("Archive files, read in order (.jsonl/.ndjson, .csv, .xml, each optionally .gz).", valueName: "file"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Format of every file.", discussion: "Default: from each file's name.", valueName: "jsonl|csv|xml"))
    var format: ArchiveFormat?

    @Option(name: .long, help: ArgumentHelp("A YAML field mapping (see README); flags override it.", valueName: "file"))
    var mapping: String?

    @Option(name: .long, help: ArgumentHelp("Field with the text.", discussion: "Default: text.", valueName: "name"))
    var textField: String?

    @Option(name: .long, help: ArgumentHelp("Field with the row's id.", discussion: "Default: id.", valueName: "name"))
    var idField: String?

    @Option(name: .long, help: ArgumentHelp("Field with the customer id; rows without one are reported but tag nobody.",
                                            discussion: "Default: customer_id.", valueName: "name"))
    var customerField: String?

    @Option(name: .long, help: ArgumentHelp("Field with the time (ISO 8601, 2025-03-04 12:00, Unix seconds or ms).",
                                            discussion: "Default: time.", valueName: "name"))
    var timeField: String?

    @Option(name: .long, help: ArgumentHelp("Character set of the files.", discussion: "Default: utf-8.", valueName: "utf-8|gbk"))
    var encoding: ArchiveEncoding?

    @Option(name: .long, help: ArgumentHelp("CSV field delimiter.", discussion: "Default: ,", valueName: "char"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("XML element that holds one record.", discussion: "Default: every child of the root.", valueName: "name"))
    var recordElement: String?

    @Option(name: .long, help: ArgumentHelp("Process only part K of N (1 ≤ K ≤ N) of every file, for N machines.", valueName: "K/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Parallel analysis workers.", discussion: "Default: the number of cores.", valueName: "n"))
    var workers: Int?

    @Flag(name: .long, help: "Continue the interrupted run of the same files and settings (from the top when there is none).")
    var resume = false

    @Flag(name: .long, help: "Forget an interrupted run of the same files and settings, and start from the top.")
    var restart = false

    @Option(name: .long, help: ArgumentHelp("Write report.html, summary.json and needs.csv here.", valueName: "dir"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Rejects file (JSON lines: file, line, code, reason).",
                                            discussion: "Default: <report dir>/rejects.jsonl, else <data dir>/mining/<run id>.rejects.jsonl.",
                                            valueName: "file"))
    var rejects: String?

    @Option(name: .long, help: ArgumentHelp("Checkpoint at least every this many rows (and every second).",
                                            discussion: "Smaller: less work redone after a crash, more transactions.", valueName: "rows"))
    var checkpointRows = 4096

    @Option(name: .long, help: ArgumentHelp("Seconds between JSON progress lines when standard error is not a terminal.", valueName: "s"))
    var progressInterval: Double = 5

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one archive file (至少给出一个文件)") }
        if resume && restart { throw ValidationError("--resume and --restart exclude each other") }
        if let workers, workers < 1 { throw ValidationError("--workers must be 1 or more") }
        if let shard { do { _ = try MiningShard(parsing: shard) } catch { throw ValidationError(error.description) } }
        if let delimiter, ArchiveMapping.delimiter(delimiter) == nil {
            throw ValidationError("--delimiter must be one ASCII character other than a quote")
        }
        if checkpointRows < 1 { throw ValidationError("--checkpoint-rows must be 1 or more") }
        if progressInterval <= 0 { throw ValidationError("--progress-interval must be positive") }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("\(file): no such readable file (文件不存在或不可读)")
        }
    }

    func run() async throws {
        var mapping = try self.mapping.map { try ArchiveMapping.load(URL(fileURLWithPath: $0)) } ?? ArchiveMapping()
        if let textField { mapping.textField = textField }
        if let idField { mapping.idField = idField }
        if let customerField { mapping.customerField = customerField }
        if let timeField { mapping.timeField = timeField }
        if let encoding { mapping.encoding = encoding }
        if let character = delimiter.flatMap(ArchiveMapping.delimiter) { mapping.delimiter = character }
        if let recordElement { mapping.recordElement = recordElement }
        if let format { mapping.format = format }
        let inputs = try files.map { file in
            guard let format = mapping.format ?? ArchiveFormat.guess(fromName: file) else { throw MiningError.unknownFormat(file: file) }
            return MiningRun.Input(path: file, format: format)
        }
        let analyzer = try model.makeAnalyzer(pipeline)
        let profiles = try await store.openStore()
        var run = MiningRun(inputs: inputs, mapping: mapping, shard: try shard.map { try MiningShard(parsing: $0) },
                            tenant: store.tenant, analyzer: analyzer, store: profiles,
                            workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
        run.commitRows = checkpointRows
        let rejectsURL = rejects.map { URL(fileURLWithPath: $0) }
            ?? report.map { URL(fileURLWithPath: $0).appendingPathComponent("rejects.jsonl") }
            ?? store.dataDirectory.appendingPathComponent("mining/\(run.runID).rejects.jsonl")
        let printer = MiningProgressPrinter(interval: progressInterval)
        let result: MiningRun.Result
        do {
            result = try await run.run(start: resume ? .resume : restart ? .restart : .fresh, rejectsFile: rejectsURL,
                                       progress: { printer.show($0) })
        } catch let error as MiningError {
            printer.finish()
            throw CLIError.failed(error.description)
        } catch let error as ArchiveError {
            printer.finish()
            throw CLIError.failed(error.description + "\nWhat was read before it is committed; fix the file and run again with --resume.")
        }
        printer.finish()
        if resume && !result.resumed { print("no interrupted run of these files was found; mined them from the top (未找到中断的任务，已从头处理)") }
        if let report {
            try MiningReportWriter().write(result.summary, to: URL(fileURLWithPath: report))
        }
        MiningResultPrinter.print(result, runID: run.runID, reportDirectory: report)
    }
}

extension ArchiveFormat: ExpressibleByArgument {}
extension ArchiveEncoding: ExpressibleByArgument {}
