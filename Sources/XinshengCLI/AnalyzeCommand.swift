import Analysis
import ArgumentParser
import Foundation
import TextPipeline

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Sentiment, emotions, intent and latent needs of each text, with evidence.",
        discussion: """
        Texts come from arguments, from --input FILE, or from standard input, one
        per line; with --jsonl each line is {"id": …, "text": …}. On a terminal the
        output is readable text; otherwise (or with --format json) it is one JSON
        object per text:
          masked_text   the text with personal data replaced ([手机号], [银行卡] …)
          sentiment     {label, confidence, evidence}
          emotions      [{label, confidence, evidence}] (only on negative texts)
          intent        {label, confidence, ranking: top 3, evidence}
          needs         [{need, confidence, evidence}]
          model_version
        Evidence items are {start, end, text, weight}: UTF-16 offsets into the
        ORIGINAL text and the words there that pushed the label up most.
        Confidences are probabilities calibrated on the dev split. With --tokens
        the JSON also carries the tokens and PII spans of the text pipeline.

        The bundled model (models/bundled) is used unless --model says otherwise.
        A bad line (invalid UTF-8, not a JSON object, empty, too long) is reported
        on standard error with its line number; the rest is still processed and
        the exit status is 1. Raw text is never logged.

        Examples:
          xinsheng analyze "下个月拿钥匙 想办装修分期 两万五够吗"
          xinsheng analyze --format json "公司裁员名单有我，这个月房贷怎么办"
          xinsheng analyze --jsonl < turns.jsonl > analysed.jsonl
        """
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Output format: auto (text on a terminal, JSON otherwise), text or json.")
    var format: OutputFormat = .auto

    @Flag(name: .long, help: "Also output the tokens and PII spans (JSON only).")
    var tokens = false

    func run() throws {
        let analyzer = try modelOptions.makeAnalyzer(pipeline)
        let json = format.isJSON(jsonlInput: inputOptions.jsonl)
        let runner = TextCommandRunner(processor: analyzer.processor, input: inputOptions, json: json, prompt: true)
        let versions = analyzer.processor.versions
        try runner.run { record, text in
            let processed = analyzer.processor.process(text)
            let analysis = analyzer.analyze(processed: processed)
            if json {
                runner.output.writeJSON(AnalysisOutput(
                    id: record.id, line: inputOptions.texts.isEmpty ? record.line : nil, analysis: analysis,
                    pipeline: tokens ? PipelineOutput(processed, versions: versions) : nil))
            } else {
                runner.output.write(AnalysisOutput.text(analysis))
                if isatty(1) == 1 { runner.output.flush() }
            }
        }
    }
}
