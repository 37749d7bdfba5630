import Analysis
import Foundation
import TextPipeline

/// The JSON form of one analysed text: the `TurnAnalysis` fields at the top
/// level, plus the input's id or line number, and optionally the text
/// pipeline's tokens. Only masked text appears: PII values never do.
struct AnalysisOutput: Encodable {
    let id: String?
    let line: Int?
    let analysis: TurnAnalysis
    let pipeline: PipelineOutput?

    enum CodingKeys: String, CodingKey {
        case id, line, pipeline
    }

    func encode(to encoder: Encoder) throws {
        try analysis.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(pipeline, forKey: .pipeline)
    }

    /// A readable rendering for a terminal.
    static func text(_ analysis: TurnAnalysis) -> String {
        func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }
        func words(_ evidence: [TurnAnalysis.Evidence]?) -> String {
            guard let evidence, !evidence.isEmpty else { return "" }
            return "  ← " + evidence.map { "「\($0.text)」" }.joined(separator: " ")
        }
        var lines = ["masked:    \(analysis.maskedText)"]
        lines.append("sentiment: \(analysis.sentiment.label) \(percent(analysis.sentiment.confidence))" + words(analysis.sentiment.evidence))
        if !analysis.emotions.isEmpty {
            lines.append("emotions:  " + analysis.emotions.map { "\($0.label) \(percent($0.confidence))" + words($0.evidence) }.joined(separator: "; "))
        }
        lines.append("intent:    \(analysis.intent.label) \(percent(analysis.intent.confidence))" + words(analysis.intent.evidence)
                     + "   (then " + analysis.intent.ranking.dropFirst().map { "\($0.label) \(percent($0.confidence))" }.joined(separator: ", ") + ")")
        if analysis.needs.isEmpty {
            lines.append("needs:     none")
        } else {
            for (index, need) in analysis.needs.enumerated() {
                lines.append((index == 0 ? "needs:     " : "           ") + "\(need.need) \(percent(need.confidence))" + words(need.evidence))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The text pipeline's view of a text (`--tokens`): tokens and PII spans
/// with UTF-16 offsets into the original text.
struct PipelineOutput: Encodable {
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

    let tokens: [TokenOutput]
    let pii: [PIIOutput]
    let versions: [String: String]

    init(_ processed: ProcessedText, versions: [String: String]) {
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
}
