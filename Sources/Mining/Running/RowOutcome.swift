import Analysis
import ConversationService
import Foundation
import Profiles
import Taxonomy
import TextPipeline

/// What became of one record: analysed (with the tag write when the row
/// names a customer), rejected, or left to another shard.
enum RowOutcome: Sendable {
    case analysed(AnalysedRow)
    case rejected(line: Int, error: ArchiveRowError)
    case otherShard
}

struct AnalysedRow: Sendable {
    let row: ArchiveRow
    let analysis: TurnAnalysis
    /// Nil when the row has no customer id or nothing to write.
    let write: TagWrite?
}

/// The work one record needs, done on a worker: map its fields, check its
/// shard, analyse its text, and build its idempotent tag write.
struct RowAnalyser: Sendable {
    let analyzer: TurnAnalyzer
    let mapping: ArchiveMapping
    let shard: MiningShard?
    let tenant: String
    /// Rows without a time field are dated at the run's start (the same on every resume).
    let defaultTime: Date
    let maxTextBytes: Int

    func outcome(of record: ArchiveRecord, file: String) -> RowOutcome {
        if let shard, !shard.owns(file: file, record: record.number) { return .otherShard }
        let fields: [String: String]
        switch record.content {
        case .success(let value): fields = value
        case .failure(let error): return .rejected(line: record.line, error: error)
        }
        let row: ArchiveRow
        switch ArchiveRow.map(fields, mapping: mapping, file: file, line: record.line, number: record.number, maxTextBytes: maxTextBytes) {
        case .success(let value): row = value
        case .failure(let error): return .rejected(line: record.line, error: error)
        }
        let analysed: AnalysedTurn
        do {
            analysed = try analyzer.analyzeTurn(row.text, turn: 1, speaker: .customer, evidenceFor: .needsAndEmotions)
        } catch TextInputError.tooLong(let length, let limit) {
            return .rejected(line: record.line, error: .tooLarge(bytes: length, limit: limit))
        } catch {
            return .rejected(line: record.line, error: .missingText(field: mapping.textField))
        }
        guard let analysis = analysed.analysis else { return .rejected(line: record.line, error: .missingText(field: mapping.textField)) }
        var write: TagWrite?
        if let customer = row.customerID {
            let observations = ConversationAggregator().fold(conversationID: file, turns: [analysed]).observations
            if !observations.isEmpty {
                write = analyzer.tagWrite(tenant: tenant, customerID: customer, key: TagWrite.key(file: file, record: record.number),
                                          source: .archive(file: file, line: record.line), at: row.time ?? defaultTime,
                                          observations: observations)
            }
        }
        return .analysed(AnalysedRow(row: row, analysis: analysis, write: write))
    }
}
