import ArgumentParser
import Foundation
import TextPipeline

/// Options every text command shares.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of lexicon .tsv files.", discussion: "Default: $XINSHENG_LEXICONS, ./lexicons, or the checkout's lexicons/.", valueName: "dir"))
    var lexicons: String?

    @Option(name: .long, help: ArgumentHelp("Longest accepted text, in UTF-16 units.", valueName: "n"))
    var maxLength: Int = TextLimits().maxUTF16Length

    func validate() throws {
        guard maxLength > 0 else { throw ValidationError("--max-length must be positive") }
    }

    func makeProcessor() throws -> TextProcessor {
        let directory = try ProjectPaths.lexiconDirectory(explicit: lexicons)
        let lexicon = try LexiconLoader().load(directory: directory)
        return TextProcessor(lexicon: lexicon, limits: TextLimits(maxUTF16Length: maxLength))
    }
}

/// Where the texts come from: arguments, a file, or standard input (one text per line).
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Texts to process. Without any, texts are read from --input or standard input, one per line.", valueName: "text"))
    var texts: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Read texts from this file instead of standard input.", valueName: "file"))
    var input: String?

    @Flag(name: .long, help: "Read JSON Lines ({\"id\": …, \"text\": …} per line) and write one JSON object per line.")
    var jsonl = false

    func validate() throws {
        if !texts.isEmpty && input != nil { throw ValidationError("give texts as arguments or --input, not both") }
        if !texts.isEmpty && jsonl { throw ValidationError("--jsonl reads JSON lines from --input or standard input, not arguments") }
    }

    /// Calls `body` with each input record; returns (rejected, total).
    func forEachRecord(maxBytes: Int, prompt: Bool, _ body: (InputRecord) -> Bool) throws -> (Int, Int) {
        var rejected = 0
        var total = 0
        if !texts.isEmpty {
            for (index, text) in texts.enumerated() {
                total += 1
                if !body(InputRecord(line: index + 1, id: nil, content: .success(text))) { rejected += 1 }
            }
            return (rejected, total)
        }
        let handle: FileHandle
        if let input {
            guard let opened = FileHandle(forReadingAtPath: input) else { throw CLIError.cannotOpen(path: input) }
            handle = opened
        } else {
            handle = FileHandle.standardInput
            if prompt && isatty(0) == 1 {
                FileHandle.standardError.write(Data("输入一段文字，回车分析；Ctrl-D 结束。Type a text and press Enter; Ctrl-D to finish.\n".utf8))
            }
        }
        let reader = LineReader(handle: handle, maxBytes: maxBytes)
        while let line = reader.next() {
            total += 1
            let record: InputRecord
            switch line.content {
            case .failure(let error):
                record = InputRecord(line: line.number, id: nil, content: .failure(error))
            case .success(let text) where jsonl:
                record = JSONLInput.parse(text, line: line.number)
            case .success(let text):
                record = InputRecord(line: line.number, id: nil, content: .success(text))
            }
            if !body(record) { rejected += 1 }
        }
        return (rejected, total)
    }
}

/// One text to process, or the reason its line was refused.
struct InputRecord {
    let line: Int
    let id: String?
    let content: Result<String, InputLineError>
}

/// Why an input line was refused. Never includes the line's text.
enum InputLineError: Error {
    case text(TextInputError)
    case notJSONObject
    case missingText
    case lineTooLong(bytes: Int, limit: Int)

    var code: String {
        switch self {
        case .text(let error): error.code
        case .notJSONObject: "input.not_json_object"
        case .missingText: "input.missing_text"
        case .lineTooLong: "input.line_too_long"
        }
    }

    var message: String {
        switch self {
        case .text(let error): error.description
        case .notJSONObject: "the line is not a JSON object"
        case .missingText: "the JSON object has no \"text\" string"
        case .lineTooLong(let bytes, let limit): "the line is over \(limit) bytes (\(bytes) bytes read)"
        }
    }

    var messageZh: String {
        switch self {
        case .text(let error): error.chineseDescription
        case .notJSONObject: "该行不是 JSON 对象"
        case .missingText: "JSON 对象缺少字符串字段 \"text\""
        case .lineTooLong(let bytes, let limit): "该行超过 \(limit) 字节（读到 \(bytes) 字节）"
        }
    }
}
