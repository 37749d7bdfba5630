import Analysis
import ArgumentParser
import Foundation
import TextPipeline

struct BenchAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Characters per second of the whole per-text analysis versus raw ICU word break.",
        discussion: """
        Reads FILE (one text per line; JSONL lines with a "text" field are read
        for their text) and, on one core, alternates timed passes of raw ICU
        word-break iteration, the text pipeline (normalise + mask + segment),
        and the whole analysis Xinsheng does per text (the text pipeline, every
        classifier and the evidence spans mapped to the original text). Prints
        the best of --rounds passes, the ratio to raw ICU, and the memory the
        loaded model takes (resident-set growth while loading, and the size of
        its weights).

        Example:
          xinsheng bench analyze ../shared/data/public/eval/bank_app_reviews_icbc.jsonl
        """
    )

    @Argument(help: ArgumentHelp("UTF-8 text or JSONL file.", valueName: "file"))
    var file: String

    @Option(name: .long, help: "Timed passes per path.")
    var rounds = 3

    @Option(name: .long, help: "Use at most this many lines.")
    var limit = 20_000

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard rounds > 0, limit > 0 else { throw ValidationError("--rounds and --limit must be positive") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.cannotOpen(path: file) }
        let processor = try pipeline.makeProcessor()
        var lines: [String] = []
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            var text = String(raw)
            if text.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
               let field = object["text"] as? String {
                text = field
            }
            if (try? processor.validate(text)) != nil { lines.append(text) }
            if lines.count >= limit { break }
        }
        let characters = lines.reduce(0) { $0 + $1.unicodeScalars.count }

        let residentBefore = Self.residentBytes()
        let model = try modelOptions.loadModel(for: processor)
        let residentAfter = Self.residentBytes()
        let analyzer = TurnAnalyzer(processor: processor, model: model)
        let icu = try ICUWordBreaker()
        var sink = 0

        let stages: [(name: String, pass: () -> Void)] = [
            ("raw ICU word break", {
                for line in lines { sink &+= icu.countBoundaries(Array(line.utf16)) }
            }),
            ("text pipeline: normalise + mask + segment", {
                for line in lines { sink &+= processor.process(line).tokens.count }
            }),
            ("pipeline + all classifiers (no evidence)", {
                for line in lines { sink &+= model.predict(processor.process(line), evidence: false).needs.count }
            }),
            ("whole analysis: + evidence in the original", {
                for line in lines { sink &+= analyzer.analyze(processed: processor.process(line)).needs.count }
            }),
        ]
        let best = BenchTiming.bestSeconds(stages.map(\.pass), rounds: rounds)
        let rates = best.map { Double(characters) / $0 }
        let weightBytes = model.weights.weightCount * 4 + model.weights.keys.count * 8 + (model.hidden?.parameterBytes ?? 0)
        let residentGrowth = max(0, residentAfter - residentBefore)
        if json {
            var object: [String: Any] = ["file": file, "lines": lines.count, "characters": characters, "rounds": rounds,
                                         "model_version": model.version, "model_resident_bytes": residentGrowth,
                                         "model_weight_bytes": weightBytes]
            object["stages"] = stages.enumerated().map { index, stage in
                ["stage": stage.name, "chars_per_second": rates[index], "ratio_to_icu": rates[index] / rates[0]]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("xinsheng bench analyze: \(file)")
            print("\(lines.count) texts, \(characters) characters; 1 core; best of \(rounds) passes; model \(model.version)")
            print("")
            print(BenchTiming.pad("stage", 48) + BenchTiming.pad("chars/s", 12) + BenchTiming.pad("texts/s", 12) + "ratio to raw ICU")
            for (index, stage) in stages.enumerated() {
                print(BenchTiming.pad(stage.name, 48) + BenchTiming.pad(String(format: "%.2f M", rates[index] / 1e6), 12)
                      + BenchTiming.pad(String(format: "%.0f", Double(lines.count) / best[index]), 12)
                      + String(format: "%.2f×", rates[index] / rates[0]))
            }
            print("")
            print(String(format: "model memory: %.1f MB resident growth while loading, %.1f MB of weights in memory",
                         Double(residentGrowth) / 1e6, Double(weightBytes) / 1e6))
        }
        if sink == 42 { print("") }
    }

    /// Resident set size of this process (0 where unavailable).
    static func residentBytes() -> Int {
        Int((ProcessMemory.residentMegabytes() ?? 0) * 1_048_576)
    }
}
