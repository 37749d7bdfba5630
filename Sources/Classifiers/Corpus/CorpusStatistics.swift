import Foundation
import Taxonomy

/// The counts the datasheet in `corpora/README.md` reports.
public struct CorpusStatistics: Sendable {
    public var channelLines: [String: Int] = [:]
    public var customerTurns = 0
    public var agentTurns = 0
    public var conversations = 0
    /// Over single lines (chat + comments), as the coverage quotas are.
    public var singleLines = 0
    public var needs: [String: Int] = [:]
    public var intents: [String: Int] = [:]
    public var sentiments: [String: Int] = [:]
    public var emotions: [String: Int] = [:]
    public var cases: [String: Int] = [:]
    public var linesWithoutNeed = 0
    public var hardCaseLines = 0
    public var conversationEndNeeds: [String: Int] = [:]
    public var conversationsWithoutEndNeed = 0
    public var conversationTurnCases: [String: Int] = [:]
    /// Sentiment-only review lines (`corpora/reviews/`), per sentiment.
    public var reviewSentiments: [String: Int] = [:]

    public init(_ lines: [CorpusLine], ends: [ConversationEnd]) {
        var conversationIDs = Set<String>()
        for line in lines {
            if let conversation = line.conversationID {
                conversationIDs.insert(conversation)
                if line.isAgentTurn { agentTurns += 1; continue }
                customerTurns += 1
                for item in line.cases ?? [] { conversationTurnCases[item, default: 0] += 1 }
                continue
            }
            if line.intent == nil && line.needs == nil {
                reviewSentiments[line.sentiment ?? "?", default: 0] += 1
                continue
            }
            singleLines += 1
            channelLines[line.channel ?? "?", default: 0] += 1
            for need in line.needs ?? [] { needs[need, default: 0] += 1 }
            if line.needs?.isEmpty ?? true { linesWithoutNeed += 1 }
            if let intent = line.intent { intents[intent, default: 0] += 1 }
            if let sentiment = line.sentiment { sentiments[sentiment, default: 0] += 1 }
            for emotion in line.emotions ?? [] { emotions[emotion, default: 0] += 1 }
            for item in line.cases ?? [] { cases[item, default: 0] += 1 }
            if !(Set(line.cases ?? []).isDisjoint(with: CorpusChecker.hardCaseTypes)) { hardCaseLines += 1 }
        }
        conversations = conversationIDs.count
        for end in ends {
            for need in end.needs { conversationEndNeeds[need, default: 0] += 1 }
            if end.needs.isEmpty { conversationsWithoutEndNeed += 1 }
        }
    }

    public func render(markdown: Bool) -> String {
        func share(_ count: Int) -> String {
            singleLines == 0 ? "0%" : String(format: "%.1f%%", Double(count) * 100 / Double(singleLines))
        }
        func table(_ title: String, _ rows: [(String, Int)], notes: [String: String] = [:]) -> String {
            if markdown {
                var out = "| \(title) | lines |\n|---|---:|\n"
                for (name, count) in rows { out += "| `\(name)` | \(count)\(notes[name] ?? "") |\n" }
                return out
            }
            return title + ":\n" + rows.map { "  " + $0.0.padding(toLength: 30, withPad: " ", startingAt: 0) + "\($0.1)\(notes[$0.0] ?? "")" }
                .joined(separator: "\n") + "\n"
        }
        let ordered = { (ids: [String], counts: [String: Int]) in ids.map { ($0, counts[$0] ?? 0) } }
        var out = ""
        let summary = [
            ("chat lines", channelLines["chat"] ?? 0), ("comment lines", channelLines["comment"] ?? 0),
            ("conversations", conversations), ("customer turns", customerTurns), ("agent turns", agentTurns),
            ("lines with no need", linesWithoutNeed), ("hard-case lines", hardCaseLines),
            ("Traditional-character lines", cases["traditional"] ?? 0),
        ]
        let shares = ["lines with no need", "hard-case lines", "Traditional-character lines"]
        out += table("corpus", summary, notes: Dictionary(uniqueKeysWithValues: summary.filter { shares.contains($0.0) }.map {
            ($0.0, " (\(share($0.1)) of chat + comments)")
        }))
        out += "\n" + table("need (chat + comments)", ordered(Need.allCases.map(\.rawValue), needs))
        out += "\n" + table("intent (chat + comments)", ordered(Intent.allCases.map(\.rawValue), intents))
        out += "\n" + table("sentiment", ordered(Sentiment.allCases.map(\.rawValue), sentiments))
        out += "\n" + table("emotion", ordered(Emotion.allCases.map(\.rawValue), emotions))
        out += "\n" + table("hard case (chat + comments)", cases.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) })
        out += "\n" + table("review sentiment (reviews/, sentiment only)", ordered(Sentiment.allCases.map(\.rawValue), reviewSentiments))
        out += "\n" + table("conversation end need", ordered(Need.allCases.map(\.rawValue), conversationEndNeeds)
                            + [("(none)", conversationsWithoutEndNeed)])
        out += "\n" + table("hard case (conversation turns)", conversationTurnCases.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) })
        return out
    }
}
