import ArgumentParser
import TextPipeline

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Normalise, mask and segment texts; print masked text, tokens and PII found.",
        discussion: """
        Texts come from arguments, from --input FILE, or from standard input, one
        per line; with --jsonl each line is {"id": …, "text": …}. On a terminal the
        output is readable text; otherwise (or with --format json) it is one JSON
        object per text: masked_text, tokens (with UTF-16 offsets into the original
        text, lexicon tags, amounts) and pii (kind and offsets, never the value).
        A bad line (invalid UTF-8, not a JSON object, empty, too long) is reported
        on standard error with its line number; the rest is still processed and
        the exit status is 1.

        Examples:
          xinsheng analyze "下个月拿钥匙 想办装修分期 两万五够吗"
          xinsheng analyze --format json "我手机号139 1052 7734"
          xinsheng analyze --jsonl < turns.jsonl > analysed.jsonl
        """
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var pipeline: PipelineOptions

    @Option(name: .long, help: "Output format: auto (text on a terminal, JSON otherwise), text or json.")
    var format: OutputFormat = .auto

    func run() throws {
        let processor = try pipeline.makeProcessor()
        let json = format.isJSON(jsonlInput: inputOptions.jsonl)
        let runner = TextCommandRunner(processor: processor, input: inputOptions, json: json, prompt: true)
        let versions = processor.versions
        try runner.run { record, text in
            let processed = processor.process(text)
            if json {
                runner.output.writeJSON(AnalysisOutput(processed, id: record.id, line: inputOptions.texts.isEmpty ? record.line : nil,
                                                       versions: versions))
            } else {
                runner.output.write(AnalysisOutput.text(processed))
                if isatty(1) == 1 { runner.output.flush() }
            }
        }
    }
}

import Foundation
