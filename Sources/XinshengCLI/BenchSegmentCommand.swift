import ArgumentParser
import Foundation
import TextPipeline

struct BenchSegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Characters per second of raw ICU word break versus the full normalise + mask + segment path.",
        discussion: """
        Reads FILE (UTF-8, one text per line; empty lines skipped) and, on one
        core, alternates timed passes of (a) raw ICU word-break iteration over each
        line and (b) Xinsheng's full path over the same lines, plus the
        normalisation and masking stages alone. Prints the best of --rounds passes
        for each and the ratio to raw ICU. Both paths start from the same Swift
        strings; (a) converts each to UTF-16 and counts ICU's boundaries, (b)
        produces masked, aligned tokens with lexicon tags and amounts.

        Example:
          xinsheng bench segment ../shared/data/public/icwb2/pku_test.utf8
        """
    )

    @Argument(help: ArgumentHelp("UTF-8 text file, one text per line.", valueName: "file"))
    var file: String

    @Option(name: .long, help: "Timed passes per path.")
    var rounds = 5

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    @OptionGroup var pipeline: PipelineOptions

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.cannotOpen(path: file) }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        let characters = lines.reduce(0) { $0 + $1.unicodeScalars.count }
        let processor = try pipeline.makeProcessor()
        let icu = try ICUWordBreaker()
        var sink = 0

        let stages: [(name: String, pass: () -> Void)] = [
            ("raw ICU word break", {
                for line in lines { sink &+= icu.countBoundaries(Array(line.utf16)) }
            }),
            ("normalise", {
                for line in lines { sink &+= processor.normalizer.normalize(line).count }
            }),
            ("normalise + mask", {
                for line in lines { sink &+= processor.masker.mask(processor.normalizer.normalize(line)).text.count }
            }),
            ("full path: normalise + mask + lexicon segmentation", {
                for line in lines { sink &+= processor.process(line).tokens.count }
            }),
        ]
        let best = BenchTiming.bestSeconds(stages.map(\.pass), rounds: rounds)
        let rates = best.map { Double(characters) / $0 }
        if json {
            var object: [String: Any] = ["file": file, "lines": lines.count, "characters": characters, "rounds": rounds]
            object["stages"] = stages.enumerated().map { index, stage in
                ["stage": stage.name, "chars_per_second": rates[index], "ratio_to_icu": rates[index] / rates[0]]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("xinsheng bench segment: \(file)")
            print("\(lines.count) lines, \(characters) characters; 1 core; best of \(rounds) passes")
            print("")
            print(BenchTiming.pad("stage", 52) + BenchTiming.pad("chars/s", 14) + "ratio to raw ICU")
            for (index, stage) in stages.enumerated() {
                print(BenchTiming.pad(stage.name, 52) + BenchTiming.pad(String(format: "%.2f M", rates[index] / 1e6), 14)
                      + String(format: "%.2f×", rates[index] / rates[0]))
            }
        }
        if sink == 42 { print("") } // keeps the passes from being optimised away
    }
}
