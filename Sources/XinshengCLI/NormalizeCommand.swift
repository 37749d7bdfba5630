import ArgumentParser
import Foundation
import TextPipeline

struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Print the normalised form of texts (NFKC, half-width, lower-case, Simplified, collapsed runs).",
        discussion: """
        Normalisation does not mask: the output contains whatever the input did.
        With --format json each text gives {"normalized", "source_spans"}: for every
        UTF-16 unit of the normalised text, the [start, end) UTF-16 span of the
        original it came from.

        Examples:
          xinsheng normalize "帳戶被凍結了！！！"        # → 账户被冻结了!
          xinsheng normalize --format json "ＡＢＣ１２３"
        """
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var pipeline: PipelineOptions

    @Option(name: .long, help: "Output format: auto (text on a terminal, JSON otherwise), text or json.")
    var format: OutputFormat = .text

    struct Output: Encodable {
        let id: String?
        let normalized: String
        let sourceSpans: [[Int32]]
        enum CodingKeys: String, CodingKey { case id, normalized, sourceSpans = "source_spans" }
    }

    func run() throws {
        let processor = try pipeline.makeProcessor()
        let json = format.isJSON(jsonlInput: inputOptions.jsonl)
        let runner = TextCommandRunner(processor: processor, input: inputOptions, json: json, prompt: false, allowEmpty: true)
        try runner.run { record, text in
            let normalized = processor.normalizer.normalize(text)
            if json {
                runner.output.writeJSON(Output(id: record.id, normalized: normalized.text,
                                               sourceSpans: zip(normalized.sourceStarts, normalized.sourceEnds).map { [$0, $1] }))
            } else {
                runner.output.write(normalized.text)
            }
        }
    }
}
