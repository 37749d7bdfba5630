import ArgumentParser
import Foundation
import TextPipeline

struct MaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mask",
        abstract: "Replace phone numbers, ID numbers, bank cards and e-mails with typed placeholders.",
        discussion: """
        Masks mainland mobile numbers ([手机号]), resident ID numbers with a valid
        check digit ([身份证]), bank card numbers that pass Luhn ([银行卡]) and
        e-mail addresses ([邮箱]). Amounts, dates, order numbers that fail the
        checks and 6-digit codes are kept. The output is the normalised text.

        Examples:
          xinsheng mask "卡号6222 0212 3456 7890 128，手机+86 139-1052-7734"
          xinsheng mask --format json < messages.txt
        """
    )

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var pipeline: PipelineOptions

    @Option(name: .long, help: "Output format: auto (text on a terminal, JSON otherwise), text or json.")
    var format: OutputFormat = .text

    struct Output: Encodable {
        struct Entity: Encodable { let kind: String; let start: Int; let end: Int }
        let id: String?
        let masked: String
        let pii: [Entity]
    }

    func run() throws {
        let processor = try pipeline.makeProcessor()
        let json = format.isJSON(jsonlInput: inputOptions.jsonl)
        let runner = TextCommandRunner(processor: processor, input: inputOptions, json: json, prompt: false, allowEmpty: true)
        try runner.run { record, text in
            let masked = processor.masker.mask(processor.normalizer.normalize(text))
            if json {
                runner.output.writeJSON(Output(id: record.id, masked: masked.text.text, pii: masked.entities.map {
                    Output.Entity(kind: $0.kind.rawValue, start: $0.sourceSpan.start, end: $0.sourceSpan.end)
                }))
            } else {
                runner.output.write(masked.text.text)
            }
        }
    }
}
