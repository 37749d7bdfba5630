import ArgumentParser
import Foundation
import TextPipeline

/// The loop every text command shares: read records, refuse bad ones with a
/// message naming the line (never its text), process the rest, and exit
/// non-zero at the end if any line was refused.
struct TextCommandRunner {
    let processor: TextProcessor
    let input: InputOptions
    let json: Bool
    let prompt: Bool
    /// Whether an empty line is a valid (empty) text, as for `segment`'s line-aligned output.
    var allowEmpty = false
    let output = OutputSink()

    func run(_ body: (InputRecord, String) -> Void) throws {
        // A line may be up to 4 bytes per UTF-16 unit of the limit, plus JSON framing.
        let maxBytes = processor.limits.maxUTF16Length * 4 + 4096
        let (rejected, total) = try input.forEachRecord(maxBytes: maxBytes, prompt: prompt) { record in
            switch record.content {
            case .failure(let error):
                report(error, record: record)
                return false
            case .success(let text):
                if allowEmpty && text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                    body(record, text)
                    return true
                }
                do {
                    try processor.validate(text)
                } catch let error as TextInputError {
                    report(.text(error), record: record)
                    return false
                } catch {
                    return false
                }
                body(record, text)
                return true
            }
        }
        output.flush()
        if rejected > 0 { throw CLIError.someLinesRejected(rejected: rejected, total: total) }
    }

    func report(_ error: InputLineError, record: InputRecord) {
        output.flush()
        FileHandle.standardError.write(Data("line \(record.line): \(error.message) [\(error.code)]\n".utf8))
        if json {
            var object: [String: Any] = [
                "line": record.line,
                "error": ["code": error.code, "message": error.message, "message_zh": error.messageZh],
            ]
            if let id = record.id { object["id"] = id }
            output.writeJSONObject(object)
        }
    }
}

/// Buffered standard output (per-line writes to a pipe are slow).
final class OutputSink {
    private var buffer = Data()

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    func writeJSON<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        if let data = try? encoder.encode(value) {
            buffer.append(data)
            buffer.append(0x0A)
        }
        if buffer.count > 1 << 16 { flush() }
    }

    func writeJSONObject(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
            buffer.append(data)
            buffer.append(0x0A)
        }
    }

    func flush() {
        if buffer.isEmpty { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Output format: `auto` is text on a terminal and JSON otherwise.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case auto, text, json

    func isJSON(jsonlInput: Bool) -> Bool {
        switch self {
        case .json: true
        case .text: false
        case .auto: jsonlInput || isatty(1) != 1
        }
    }
}
