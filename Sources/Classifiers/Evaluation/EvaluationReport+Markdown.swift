import Foundation
import Taxonomy

extension EvaluationReport {
    /// The report as Markdown, for people.
    public var markdown: String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        func pct(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        var out = "# Evaluation: \(gold)\n\nModel `\(modelVersion)`, \(lines) lines"
        out += skippedAgentTurns > 0 ? " (\(skippedAgentTurns) agent turns skipped).\n" : ".\n"
        if let conversationScoring { out += "\nConversations: \(conversationScoring)\n" }

        out += "\n## Headline\n\n| metric | value |\n|---|---:|\n"
        if let needs {
            out += "| needs micro-F1 | \(f(needs.microF1)) |\n| needs macro-F1 | \(f(needs.macroF1)) |\n"
            out += "| hardship recall | \(f(needs.hardshipRecall)) |\n| false-alarm rate (no-need lines given a need) | \(pct(needs.falseAlarmRate)) |\n"
            out += "| needs calibration error | \(f(needs.ece)) |\n"
        }
        if let sentiment {
            out += "| sentiment accuracy | \(f(sentiment.accuracy)) |\n| sentiment macro-F1 | \(f(sentiment.macroF1)) |\n| sentiment ECE | \(f(sentiment.ece)) |\n"
        }
        if let intent {
            out += "| intent accuracy | \(f(intent.accuracy)) |\n| intent macro-F1 | \(f(intent.macroF1)) |\n| intent ECE | \(f(intent.ece)) |\n"
        }

        func labelTable(_ title: String, _ labels: [String], _ metrics: [String: LabelMetrics]) -> String {
            var table = "\n## \(title)\n\n| label | precision | recall | F1 | support | predicted |\n|---|---:|---:|---:|---:|---:|\n"
            for label in labels {
                guard let m = metrics[label] else { continue }
                table += "| `\(label)` | \(f(m.precision)) | \(f(m.recall)) | \(f(m.f1)) | \(m.support) | \(m.predicted) |\n"
            }
            return table
        }
        if let needs { out += labelTable("Needs", Need.allCases.map(\.rawValue), needs.perLabel) }
        if let sentiment { out += labelTable("Sentiment", sentiment.labels, sentiment.perLabel) }
        if let emotions { out += labelTable("Emotions", Emotion.allCases.map(\.rawValue), emotions) }
        if let intent {
            out += labelTable("Intent", intent.labels, intent.perLabel)
            out += "\n### Intent confusion (rows: gold, columns: predicted)\n\n"
            let short = intent.labels.indices.map { "i\($0 + 1)" }
            out += "| gold \\ predicted | " + short.joined(separator: " | ") + " |\n"
            out += "|---|" + String(repeating: "---:|", count: short.count) + "\n"
            for (row, label) in intent.labels.enumerated() {
                out += "| i\(row + 1) `\(label)` | " + intent.confusion[row].map { $0 == 0 ? "·" : String($0) }.joined(separator: " | ") + " |\n"
            }
        }
        if let conversations {
            out += "\n## Conversations (needs held at the end)\n\n"
            out += "\(conversations.conversations) conversations; end-set micro-F1 \(f(conversations.microF1)) "
            out += "(precision \(f(conversations.microPrecision)), recall \(f(conversations.microRecall))), macro-F1 \(f(conversations.macroF1)), "
            out += "hardship recall \(f(conversations.hardshipRecall)), exact end set \(pct(conversations.exactMatch)).\n"
            if !conversations.missingGold.isEmpty {
                out += "\nNo end-of-conversation gold for: \(conversations.missingGold.joined(separator: ", ")).\n"
            }
            out += labelTable("End-set needs", Need.allCases.map(\.rawValue), conversations.perLabel)
        }
        if let slices, !slices.isEmpty {
            out += "\n## Slices\n\n| slice | lines | needs micro-F1 | false alarms | hardship recall | sentiment acc. | intent acc. |\n|---|---:|---:|---:|---:|---:|---:|\n"
            for (name, slice) in slices.sorted(by: { $0.key < $1.key }) {
                out += "| \(name) | \(slice.lines) | \(f(slice.needsMicroF1)) | \(pct(slice.falseAlarmRate)) | \(f(slice.hardshipRecall)) | \(f(slice.sentimentAccuracy)) | \(f(slice.intentAccuracy)) |\n"
            }
        }
        return out
    }
}

extension BinarySentimentReport {
    public var markdown: String {
        func f(_ value: Double) -> String { String(format: "%.3f", value) }
        var out = "# Sentiment evaluation: \(gold)\n\nModel `\(modelVersion)`, \(lines) lines. Decision: \(decisionRule).\n\n"
        out += "| metric | value |\n|---|---:|\n| accuracy | \(f(accuracy)) |\n| macro-F1 | \(f(macroF1)) |\n| lines the model called neutral | \(neutralPredictions) |\n"
        out += "\n| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n"
        for label in ["negative", "positive"] {
            if let m = perLabel[label] { out += "| \(label) | \(f(m.precision)) | \(f(m.recall)) | \(f(m.f1)) | \(m.support) |\n" }
        }
        return out
    }
}
