import Foundation
import TextPipeline

/// The JSON form of one analysed text. Offsets are UTF-16 offsets into the
/// original text. Only masked text appears: PII values never do.
struct AnalysisOutput: Encodable {
    struct TokenOutput: Encodable {
        let text: String
        let kind: String
        let start: Int
        let end: Int
        let tags: [String]?
        let amount: AmountOutput?
        let pii: String?
    }

    struct AmountOutput: Encodable {
        let value: Decimal
        let currency: String
    }

    struct PIIOutput: Encodable {
        let kind: String
        let placeholder: String
        let start: Int
        let end: Int
    }

    let id: String?
    let line: Int?
    let maskedText: String
    let tokens: [TokenOutput]
    let pii: [PIIOutput]
    let versions: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, line, tokens, pii, versions
        case maskedText = "masked_text"
    }

    init(_ processed: ProcessedText, id: String?, line: Int?, versions: [String: String]) {
        self.id = id
        self.line = line
        self.maskedText = processed.maskedText
        self.tokens = processed.tokens.map { token in
            TokenOutput(text: token.text, kind: token.kind.rawValue, start: token.sourceSpan.start, end: token.sourceSpan.end,
                        tags: token.tags.isEmpty ? nil : token.tags.map(\.rawValue),
                        amount: token.amount.map { AmountOutput(value: $0.value, currency: $0.currency) },
                        pii: token.pii?.rawValue)
        }
        self.pii = processed.masked.entities.map {
            PIIOutput(kind: $0.kind.rawValue, placeholder: $0.kind.placeholder, start: $0.sourceSpan.start, end: $0.sourceSpan.end)
        }
        self.versions = versions
    }

    /// A readable rendering for a terminal.
    static func text(_ processed: ProcessedText) -> String {
        var lines = ["masked:  \(processed.maskedText)"]
        lines.append("tokens:  " + processed.tokens.map(\.text).joined(separator: " │ "))
        let tagged = processed.tokens.filter { !$0.tags.isEmpty }
        if !tagged.isEmpty {
            lines.append("tags:    " + tagged.map { "\($0.text) → \($0.tags.map(\.rawValue).joined(separator: ","))" }.joined(separator: "; "))
        }
        let amounts = processed.tokens.compactMap { token in token.amount.map { "\(token.text) = \($0.canonical)" } }
        if !amounts.isEmpty { lines.append("amounts: " + amounts.joined(separator: "; ")) }
        if !processed.masked.entities.isEmpty {
            lines.append("pii:     " + processed.masked.entities.map {
                "\($0.kind.placeholder) \($0.kind.rawValue) at \($0.sourceSpan)"
            }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
