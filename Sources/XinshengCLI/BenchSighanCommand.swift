import ArgumentParser
import Foundation
import TextPipeline

struct BenchSighanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sighan",
        abstract: "Score segmentation against a SIGHAN 2005 gold file: raw ICU versus Xinsheng.",
        discussion: """
        Segments every line of --test with raw ICU word break and with Xinsheng's
        full path (words printed as the original text), and scores both against
        --gold (words separated by spaces) by word precision, recall and F1.
        With --max-drop, exits 1 when Xinsheng's F1 is lower than ICU's by more
        than that: the check that the domain lexicons do not hurt general text.

        Example:
          xinsheng bench sighan --test icwb2/pku_test.utf8 --gold icwb2/pku_test_gold.utf8 --max-drop 0.01
        """
    )

    @Option(name: .long, help: ArgumentHelp("Unsegmented test file (UTF-8).", valueName: "file"))
    var test: String

    @Option(name: .long, help: ArgumentHelp("Gold segmentation of the same lines.", valueName: "file"))
    var gold: String

    @Option(name: .long, help: ArgumentHelp("Largest F1 drop versus ICU that still passes.", valueName: "f1"))
    var maxDrop: Double?

    @OptionGroup var pipeline: PipelineOptions

    func run() throws {
        let testLines = try readLines(test)
        let goldLines = try readLines(gold)
        guard testLines.count == goldLines.count else {
            throw ValidationError("--test has \(testLines.count) lines but --gold has \(goldLines.count)")
        }
        let processor = try pipeline.makeProcessor()
        let icu = try ICUWordBreaker()
        var icuScore = SegmentationScore()
        var ourScore = SegmentationScore()
        for (line, goldLine) in zip(testLines, goldLines) {
            let goldWords = goldLine.split(whereSeparator: \.isWhitespace).map(String.init)
            let icuWords = icu.words(line).flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            icuScore.add(gold: goldWords, predicted: icuWords)
            var ourWords: [String] = []
            if !line.allSatisfy(\.isWhitespace) {
                let processed = processor.process(line)
                ourWords = processed.tokens.map { processed.normalized.originalText(at: $0.sourceSpan) }
                    .flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
            }
            ourScore.add(gold: goldWords, predicted: ourWords)
        }
        let name = URL(fileURLWithPath: test).lastPathComponent
        print("xinsheng bench sighan: \(name) (\(testLines.count) lines, \(icuScore.goldWords) gold words)")
        print("engine            precision  recall   F1")
        for (label, score) in [("raw ICU", icuScore), ("xinsheng", ourScore)] {
            print(String(format: "%@ %.4f     %.4f   %.4f", label.padding(toLength: 17, withPad: " ", startingAt: 0),
                         score.precision, score.recall, score.f1))
        }
        let drop = icuScore.f1 - ourScore.f1
        print(String(format: "F1 difference (xinsheng − ICU): %+.4f", -drop))
        if ourScore.mismatchedLines > 0 { print("lines whose characters differ from gold: \(ourScore.mismatchedLines)") }
        if let maxDrop, drop > maxDrop {
            throw CLIError.qualityDrop(corpus: name, drop: drop, allowed: maxDrop)
        }
    }

    private func readLines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.cannotOpen(path: path) }
        // Split on bytes: in Swift "\r\n" is one Character, so splitting the String on "\n" would miss it.
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
