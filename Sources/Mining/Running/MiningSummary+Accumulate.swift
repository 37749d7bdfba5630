import Analysis
import Foundation
import Taxonomy

extension MiningSummary {
    /// Examples kept per need, and evidence phrases kept per need (the most
    /// frequent; pruned when twice as many have been seen).
    static let examplesPerNeed = 5
    static let phrasesKept = 400

    /// Adds one analysed row. Rows are added in input order, so the summary
    /// of a resumed run equals the summary of an uninterrupted one.
    mutating func add(_ row: ArchiveRow, _ analysis: TurnAnalysis) {
        rowsAnalysed += 1
        sentiments[analysis.sentiment.label, default: 0] += 1
        for emotion in analysis.emotions { emotions[emotion.label, default: 0] += 1 }
        intents[analysis.intent.label, default: 0] += 1
        if row.customerID != nil { rowsWithCustomer += 1 }
        let month = row.time.map(RowTimeParser.month)
        if let month { rowsByMonth[month, default: 0] += 1 } else { rowsWithoutTime += 1 }
        if analysis.needs.isEmpty { rowsWithoutNeed += 1 }
        let source = "\(row.file):\(row.line)"
        let sampleKey = FNV1a.hash(source.utf8)
        for need in analysis.needs {
            needRows[need.need, default: 0] += 1
            needConfidenceSum[need.need, default: 0] += need.confidence
            if let month { needsByMonth[month, default: [:]][need.need, default: 0] += 1 }
            let phrases = Set(need.evidence.map(\.maskedWords).filter { !$0.isEmpty })
            // Counted in place: copying the need's phrase table out and back
            // would copy all of it for every row.
            for phrase in phrases { evidencePhrases[need.need, default: [:]][phrase, default: 0] += 1 }
            if let counted = evidencePhrases[need.need], counted.count > 2 * Self.phrasesKept {
                evidencePhrases[need.need] = Self.pruned(counted)
            }
            var kept = examples[need.need] ?? []
            if kept.count < Self.examplesPerNeed || sampleKey < kept[kept.count - 1].sampleKey {
                let masked = String(analysis.maskedText.prefix(200))
                kept.append(Example(source: source, maskedText: masked, confidence: need.confidence,
                                    evidence: need.evidence.map(\.maskedWords).filter { !$0.isEmpty }, sampleKey: sampleKey))
                kept.sort { $0.sampleKey < $1.sampleKey }
                if kept.count > Self.examplesPerNeed { kept.removeLast() }
                examples[need.need] = kept
            }
        }
    }

    mutating func reject(_ error: ArchiveRowError) {
        rowsRejected += 1
        rejectsByReason[error.code, default: 0] += 1
    }

    /// The `phrasesKept` most frequent phrases (ties by phrase, so pruning is deterministic).
    static func pruned(_ counted: [String: Int]) -> [String: Int] {
        let kept = counted.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(phrasesKept)
        return Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
