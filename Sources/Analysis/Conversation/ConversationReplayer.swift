import Classifiers
import Foundation

/// Replays conversations from a gold or corpus file through the analyzer and
/// the aggregator, turn by turn, as the live service would see them.
public struct ConversationReplayer: Sendable {
    public let analyzer: TurnAnalyzer
    public let aggregator: ConversationAggregator

    public init(analyzer: TurnAnalyzer, aggregator: ConversationAggregator = ConversationAggregator()) {
        self.analyzer = analyzer
        self.aggregator = aggregator
    }

    /// The final state of every conversation among `lines` (lines without a
    /// conversation id are ignored), keyed by conversation id. Conversations
    /// run in parallel; turns of one conversation in order.
    /// - Throws: `ConversationReplayError` for a turn without a speaker or
    ///   number, and `TextInputError` for a text the pipeline refuses.
    public func replay(_ lines: [CorpusLine]) throws -> [String: ConversationState] {
        var byConversation: [String: [CorpusLine]] = [:]
        for line in lines {
            guard let id = line.conversationID else { continue }
            guard line.turn != nil else { throw ConversationReplayError.missingTurn(id: line.id) }
            guard let speaker = line.speaker, Speaker(rawValue: speaker) != nil else {
                throw ConversationReplayError.unknownSpeaker(id: line.id, speaker: line.speaker ?? "")
            }
            byConversation[id, default: []].append(line)
        }
        let ids = byConversation.keys.sorted()
        let results: [Result<ConversationState, Error>] = parallelMap(ids) { id in
            Result {
                let turns = try byConversation[id]!.sorted { $0.turn! < $1.turn! }.map { line in
                    try analyzer.analyzeTurn(line.text, turn: line.turn!, speaker: Speaker(rawValue: line.speaker!)!)
                }
                return aggregator.fold(conversationID: id, turns: turns)
            }
        }
        var states: [String: ConversationState] = [:]
        for (id, result) in zip(ids, results) { states[id] = try result.get() }
        return states
    }
}

public enum ConversationReplayError: Error, Equatable, CustomStringConvertible {
    case missingTurn(id: String)
    case unknownSpeaker(id: String, speaker: String)

    public var description: String {
        switch self {
        case .missingTurn(let id):
            "line \(id) has a conversation_id but no turn number (对话行缺少 turn 编号)"
        case .unknownSpeaker(let id, let speaker):
            "line \(id): speaker \"\(speaker)\" is neither customer nor agent (说话人必须是 customer 或 agent)"
        }
    }
}
