import ArgumentParser
import Foundation
import TextPipeline

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Print the words of each text, separated by spaces, one output line per input line.",
        discussion: """
        By default each word is printed as the customer wrote it (so the output can
        be scored against a gold segmentation of the same text); --normalized prints
        the normalised forms instead. PII is always printed as its placeholder.
        An empty input line gives an empty output line. --engine icu prints ICU's
        own word break segmentation of the raw text, for comparison.

        Examples:
          xinsheng segment "下个月拿钥匙了想问问装修分期"
          xinsheng segment --tags "不打算买房了 就问问大额存单"
          xinsheng segment -i pku_test.utf8 > pku_ours.txt
        """
    )

    enum Engine: String, ExpressibleByArgument, CaseIterable { case xinsheng, icu }

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var pipeline: PipelineOptions

    @Flag(name: .long, help: "Print normalised word forms instead of the original text.")
    var normalized = false

    @Flag(name: .long, help: "Append lexicon tags to tagged words: 拿钥匙/need:home_renovation.")
    var tags = false

    @Option(name: .long, help: "Segmentation engine: xinsheng (normalise, mask, lexicons) or icu (raw ICU word break).")
    var engine: Engine = .xinsheng

    func run() throws {
        let processor = try pipeline.makeProcessor()
        let runner = TextCommandRunner(processor: processor, input: inputOptions, json: false, prompt: false, allowEmpty: true)
        let icu = engine == .icu ? try ICUWordBreaker() : nil
        try runner.run { _, text in
            if let icu {
                runner.output.write(icu.words(text).joined(separator: " "))
                return
            }
            runner.output.write(words(processor.process(text)).joined(separator: " "))
        }
    }

    func words(_ processed: ProcessedText) -> [String] {
        processed.tokens.map { token in
            var word = token.pii != nil || normalized ? token.text : processed.normalized.originalText(at: token.sourceSpan)
            if tags, !token.tags.isEmpty { word += "/" + token.tags.map(\.rawValue).joined(separator: ",") }
            return word
        }
    }
}
