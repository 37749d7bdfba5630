import Foundation
import Taxonomy

/// The checks `xinsheng corpus check` runs over `corpora/`: every line valid
/// JSON in the taxonomy's format, ids unique, labels from the taxonomy,
/// emotions only on negative lines, needs in taxonomy order, agent turns
/// unlabelled, conversations numbered and complete with a matching
/// `.ends.jsonl`, and no near-duplicate customer texts (short answers inside
/// conversations excepted).
public struct CorpusChecker: Sendable {
    /// Hard-case types a line may carry (see corpora/GUIDE.md).
    public static let caseTypes: Set<String> = [
        "denied", "finished", "cancelled", "hypothetical", "third_unlinked", "third_linked", "subtle_hardship",
        "implied", "keyword_trap", "sarcasm", "polite_complaint", "shouting", "traditional", "slang", "emoji",
        "typo", "numbers", "short", "long", "withdrawn", "late_need",
    ]
    /// The case types that count as "hard" in the datasheet's quota.
    public static let hardCaseTypes: Set<String> = [
        "denied", "finished", "cancelled", "hypothetical", "third_unlinked", "third_linked", "subtle_hardship",
        "implied", "keyword_trap", "sarcasm", "polite_complaint", "shouting",
    ]
    public static let conversationTurns = 6...14
    /// Conversation turns this short (in characters) are exempt from the near-duplicate check.
    public static let conversationAnswerLength = 4
    /// Lines in this folder are general consumer reviews labelled with sentiment only.
    public static let sentimentOnlyFolder = "reviews"

    public var nearDuplicates: NearDuplicateFinder

    public init(nearDuplicates: NearDuplicateFinder = NearDuplicateFinder()) {
        self.nearDuplicates = nearDuplicates
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let location: String
        public let code: String
        public let message: String

        public var description: String { "\(location): \(message) [\(code)]" }
    }

    public struct Report: Sendable {
        public var files = 0
        public var lines = 0
        public var customerLines = 0
        public var conversations = 0
        public var problems: [Problem] = []
    }

    public func check(directory: URL) throws -> Report {
        var report = Report()
        var seenIDs: [String: String] = [:]
        var customerTexts: [(text: String, location: String, id: String)] = []
        var turnsByConversation: [String: [(turn: Int, speaker: String, location: String)]] = [:]
        var conversationFile: [String: String] = [:]

        func problem(_ location: String, _ code: String, _ message: String) {
            report.problems.append(Problem(location: location, code: code, message: message))
        }

        let needOrder = Dictionary(uniqueKeysWithValues: Need.allCases.enumerated().map { ($1.rawValue, $0) })
        for file in try CorpusReader.lineFiles(in: directory) {
            report.files += 1
            let name = CorpusReader.relative(file, to: directory)
            let lines: [LocatedCorpusLine]
            do {
                lines = try CorpusReader.read(file, displayPath: name)
            } catch let error as CorpusError {
                if case .malformedLine(let file, let line, let reason) = error {
                    problem("\(file):\(line)", "corpus.malformed_line", reason)
                } else {
                    problem(name, error.code, error.description)
                }
                continue
            }
            for located in lines {
                report.lines += 1
                let line = located.line
                let location = "\(name):\(located.lineNumber)"
                if let first = seenIDs[line.id] {
                    problem(location, "corpus.duplicate_id", "id \(line.id) already used at \(first)")
                } else {
                    seenIDs[line.id] = location
                }
                if let channel = line.channel, Channel(rawValue: channel) == nil {
                    problem(location, "corpus.unknown_label", "channel \"\(channel)\" is not in the taxonomy")
                }
                if let conversation = line.conversationID {
                    guard let turn = line.turn, let speaker = line.speaker, speaker == "customer" || speaker == "agent" else {
                        problem(location, "corpus.bad_turn", "a conversation line needs turn and speaker (customer or agent)")
                        continue
                    }
                    turnsByConversation[conversation, default: []].append((turn, speaker, location))
                    if let other = conversationFile[conversation], other != name {
                        problem(location, "corpus.split_conversation", "conversation \(conversation) also appears in \(other)")
                    }
                    conversationFile[conversation] = name
                }
                if line.isAgentTurn {
                    if line.sentiment != nil || line.emotions != nil || line.intent != nil || line.needs != nil || line.cases != nil {
                        problem(location, "corpus.labelled_agent_turn", "agent turns carry no labels")
                    }
                    continue
                }
                report.customerLines += 1
                // One-word answers inside a conversation (对, 好的, 嗯嗯) take their
                // meaning from the turn before, so they may repeat.
                if line.conversationID == nil || line.text.count > Self.conversationAnswerLength {
                    customerTexts.append((line.text, location, line.id))
                }
                if name.hasPrefix(Self.sentimentOnlyFolder + "/") {
                    checkSentimentOnly(line, location: location, problem: problem)
                } else {
                    checkLabels(line, location: location, needOrder: needOrder, problem: problem)
                }
            }
        }

        // Conversations: turns 1…n in order, alternating speakers, 6–14 turns, one end line each.
        var ends: [String: String] = [:]
        for file in try CorpusReader.endFiles(in: directory) {
            let name = CorpusReader.relative(file, to: directory)
            do {
                for (end, lineNumber) in try CorpusReader.readEnds(file, displayPath: name) {
                    let location = "\(name):\(lineNumber)"
                    if ends[end.conversationID] != nil {
                        problem(location, "corpus.duplicate_end", "conversation \(end.conversationID) has two end lines")
                    }
                    ends[end.conversationID] = location
                    checkNeeds(end.needs, location: location, needOrder: needOrder, problem: problem)
                    if turnsByConversation[end.conversationID] == nil {
                        problem(location, "corpus.orphan_end", "no turns for conversation \(end.conversationID)")
                    }
                }
            } catch let error as CorpusError {
                problem(name, error.code, error.description)
            }
        }
        for (conversation, turns) in turnsByConversation.sorted(by: { $0.key < $1.key }) {
            report.conversations += 1
            let first = turns[0].location
            let numbers = turns.map(\.turn)
            if numbers != Array(1...turns.count) {
                problem(first, "corpus.bad_turn", "conversation \(conversation) is not numbered 1…\(turns.count) in order")
            }
            if !Self.conversationTurns.contains(turns.count) {
                problem(first, "corpus.conversation_length", "conversation \(conversation) has \(turns.count) turns (6–14 expected)")
            }
            for index in 1..<turns.count where turns[index].speaker == turns[index - 1].speaker {
                problem(turns[index].location, "corpus.same_speaker_twice", "speakers do not alternate in \(conversation)")
                break
            }
            if ends[conversation] == nil {
                problem(first, "corpus.missing_end", "conversation \(conversation) has no line in a .ends.jsonl file")
            }
        }

        for pair in nearDuplicates.pairs(in: customerTexts.map(\.text)) {
            let a = customerTexts[pair.first], b = customerTexts[pair.second]
            problem(b.location, "corpus.near_duplicate",
                    String(format: "%@ is a near-duplicate of %@ at %@ (similarity %.2f)", b.id, a.id, a.location, pair.similarity))
        }
        return report
    }

    private func checkLabels(_ line: CorpusLine, location: String, needOrder: [String: Int],
                             problem: (String, String, String) -> Void) {
        guard let sentiment = line.sentiment, let emotions = line.emotions, let intent = line.intent, let needs = line.needs else {
            problem(location, "corpus.missing_label", "customer lines need sentiment, emotions, intent and needs")
            return
        }
        if line.channel == nil { problem(location, "corpus.missing_label", "missing channel") }
        if Sentiment(rawValue: sentiment) == nil {
            problem(location, "corpus.unknown_label", "sentiment \"\(sentiment)\" is not in the taxonomy")
        }
        if Intent(rawValue: intent) == nil {
            problem(location, "corpus.unknown_label", "intent \"\(intent)\" is not in the taxonomy")
        }
        for emotion in emotions where Emotion(rawValue: emotion) == nil {
            problem(location, "corpus.unknown_label", "emotion \"\(emotion)\" is not in the taxonomy")
        }
        if !emotions.isEmpty && sentiment != Sentiment.negative.rawValue {
            problem(location, "corpus.emotion_not_negative", "emotions are only allowed on negative lines")
        }
        if Set(emotions).count != emotions.count {
            problem(location, "corpus.repeated_label", "an emotion is listed twice")
        }
        checkNeeds(needs, location: location, needOrder: needOrder, problem: problem)
        for item in line.cases ?? [] where !Self.caseTypes.contains(item) {
            problem(location, "corpus.unknown_case", "case \"\(item)\" is not a hard-case type of corpora/GUIDE.md")
        }
    }

    private func checkSentimentOnly(_ line: CorpusLine, location: String, problem: (String, String, String) -> Void) {
        guard let sentiment = line.sentiment else {
            problem(location, "corpus.missing_label", "review lines need a sentiment")
            return
        }
        if Sentiment(rawValue: sentiment) == nil {
            problem(location, "corpus.unknown_label", "sentiment \"\(sentiment)\" is not in the taxonomy")
        }
        if line.intent != nil || line.needs != nil || line.emotions != nil || line.channel != nil {
            problem(location, "corpus.unexpected_label", "review lines carry sentiment only (no channel, intent, needs or emotions)")
        }
        for item in line.cases ?? [] where !Self.caseTypes.contains(item) {
            problem(location, "corpus.unknown_case", "case \"\(item)\" is not a hard-case type of corpora/GUIDE.md")
        }
    }

    private func checkNeeds(_ needs: [String], location: String, needOrder: [String: Int],
                            problem: (String, String, String) -> Void) {
        var previous = -1
        for need in needs {
            guard let order = needOrder[need] else {
                problem(location, "corpus.unknown_label", "need \"\(need)\" is not in the taxonomy")
                continue
            }
            if order <= previous {
                problem(location, "corpus.needs_order", "needs must be distinct and in taxonomy order")
            }
            previous = order
        }
    }
}
