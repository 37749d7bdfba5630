import ArgumentParser
import Classifiers
import Foundation
import TextPipeline
import Yams

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the sentiment, emotion, intent and need classifiers on the corpora.",
        discussion: """
        Reads every labelled customer line under --corpora (chat, comments and
        the customer turns of conversations), splits them into train and dev by
        a stable hash of the id (of the conversation for turns), fits the models
        on train, calibrates them and picks thresholds on dev, and writes the
        model directory (meta.json, calibration.json, weights.bin, and
        hidden.bin when config/training.yaml asks for a hidden layer) plus
        dev-report.json and dev-report.md. Settings come from
        config/training.yaml. Deterministic: the hidden layer's random start,
        line order and dropout come from a fixed seed, so the same corpus,
        lexicons and settings give the same weights.

        Examples:
          xinsheng train
          xinsheng train --verbose --output /tmp/model   # every fit's steps and time
          xinsheng train --output /tmp/model && xinsheng analyze --model /tmp/model "想换辆车"
        """
    )

    @Option(name: .long, help: ArgumentHelp("Corpus folder.", discussion: "Default: ./corpora or the checkout's corpora/.", valueName: "dir"))
    var corpora: String?

    @Option(name: .long, help: ArgumentHelp("Training settings.", discussion: "Default: config/training.yaml (built-in defaults if absent).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where to write the model.", discussion: "Default: models/bundled of the checkout.", valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: ArgumentHelp("Also print every fit: steps, seconds, objective, dev loss.",
                                           discussion: "One line per head, with the L2 strength dev chose, and one per head's refit."))
    var verbose = false

    @OptionGroup var pipeline: PipelineOptions

    func run() throws {
        let settings = try TrainingSettings.load(explicit: config)
        let corpusURL = try CorpusPaths.directory(corpora)
        let outputURL: URL
        if let output {
            outputURL = URL(fileURLWithPath: output)
        } else if let models = ProjectPaths.projectFolder("models") {
            outputURL = models.appendingPathComponent("bundled")
        } else {
            outputURL = URL(fileURLWithPath: "models/bundled")
        }
        let processor = try pipeline.makeProcessor()
        let lines = try CorpusReader.readAll(corpusURL).map(\.line)
        let examples = lines.compactMap(TrainingExample.init)
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        let (fingerprint, files) = try CorpusPaths.fingerprint(corpusURL)
        let log: Trainer.Log = { message in FileHandle.standardError.write(Data("train: \(message)\n".utf8)) }
        log("\(examples.count) labelled lines from \(files) files (\(lines.count - examples.count) agent or unlabelled lines skipped)")
        let trainer = Trainer(processor: processor, config: settings)
        let result = try trainer.train(examples, corpusFingerprint: fingerprint, corpusFiles: files, verbose: verbose, log: log)
        let meta = try ModelArtifact.save(result.model, to: outputURL)
        var report = result.devReport
        report.modelVersion = meta.modelVersion
        try ReportFiles.write(report: report, markdown: report.markdown,
                              json: outputURL.appendingPathComponent("dev-report.json"),
                              markdownURL: outputURL.appendingPathComponent("dev-report.md"))
        let weightBytes = (try? FileManager.default.attributesOfItem(atPath: outputURL.appendingPathComponent(ModelArtifact.weightsFile).path)[.size] as? Int) ?? 0
        print("model \(meta.modelVersion) written to \(outputURL.path)")
        print("  \(result.trainCount) train / \(result.devCount) dev lines, \(meta.featureCount) features, weights \(weightBytes / 1024) KiB, \(meta.trainingSeconds) s")
        if meta.config.refitOnAllLines {
            print("  weights refitted on all \(result.trainCount + result.devCount) lines; the dev figures below are the train-only fit's")
        }
        print(DevSummary.lines(meta.devMetrics).joined(separator: "\n"))
    }
}

/// Reads `config/training.yaml`.
enum TrainingSettings {
    static func load(explicit: String?) throws -> TrainingConfig {
        let url: URL
        if let explicit {
            url = URL(fileURLWithPath: explicit)
        } else if let found = ProjectPaths.projectFolder("config/training.yaml") {
            url = found
        } else {
            return TrainingConfig()
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CLIError.cannotOpen(path: url.path) }
        let config: TrainingConfig
        do {
            config = try YAMLDecoder().decode(TrainingConfig.self, from: String(decoding: data, as: UTF8.self))
        } catch let error as TrainingConfigError {
            throw error
        } catch {
            throw TrainingConfigError.malformed(file: url.path, reason: String(describing: error))
        }
        try config.validate()
        return config
    }
}

enum DevSummary {
    static func lines(_ m: MetricsSummary) -> [String] {
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        func pct(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        return [
            "  dev (\(m.lines) lines): needs micro-F1 \(f(m.needsMicroF1)), macro-F1 \(f(m.needsMacroF1)), hardship recall \(f(m.hardshipRecall)), false alarms \(pct(m.falseAlarmRate))",
            "  sentiment accuracy \(f(m.sentimentAccuracy)), macro-F1 \(f(m.sentimentMacroF1)); intent accuracy \(f(m.intentAccuracy)), macro-F1 \(f(m.intentMacroF1)); ECE sentiment \(f(m.sentimentECE)), intent \(f(m.intentECE))",
        ]
    }
}

enum ReportFiles {
    static func write<T: Encodable>(report: T, markdown: String, json: URL, markdownURL: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try save(encoder.encode(report) + Data("\n".utf8), to: json)
        try save(Data(markdown.utf8), to: markdownURL)
    }

    /// Writes a file whole, creating its folder if missing.
    static func save(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
