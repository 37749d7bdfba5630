import Analysis
import ArgumentParser
import Classifiers
import Foundation
import TextPipeline

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the model on a gold file; write a JSON and a Markdown report.",
        discussion: """
        GOLD is a JSONL file in the taxonomy's format (id, text, and any of
        sentiment, emotions, intent, needs), or a corpus folder. Each line is
        scored on the labels it carries. The report has per-label precision,
        recall and F1; micro and macro F1 for needs; accuracy and macro-F1 for
        sentiment and intent; the intent confusion matrix; hardship recall; the
        false-alarm rate (lines with no gold need that get one); expected
        calibration error; and per-slice figures when --slices gives a TSV of
        id<TAB>category[,category] (without it, the lines' own "cases" are used).

        Conversation files (conversation_id, turn, speaker) are scored twice:
        turn by turn on the customer turns (agent turns skipped), and whole:
        every conversation is replayed through the aggregator and the needs it
        holds at the end are compared with the end-of-conversation gold
        (conversation_id, needs) from --ends, or else from the companion
        <name>.ends.jsonl files next to the gold. With --split, whole
        conversations go to dev or train by the hash of their id.

        --sentiment-only scores a binary negative/positive set (such as the
        public review sets): a line counts as positive when the model's
        P(positive) ≥ P(negative).

        --predictions FILE scores someone else's labels instead of the model's:
        a JSONL file of id, sentiment, emotions, intent and needs (a second
        labeller's file, another system's output), each label with confidence
        1. Only the gold lines FILE labels are scored; an id of FILE missing
        from GOLD is an error. Whole conversations are not replayed (that
        needs the model).

        Reports go to --output (default: reports/) as <name>.json and <name>.md;
        the Markdown is also printed.

        Examples:
          xinsheng eval corpora --split dev
          xinsheng eval gold/chat_turns.jsonl --slices gold/hard_cases.tsv
          xinsheng eval --sentiment-only ../shared/data/public/eval/sentiment_waimai_10k.jsonl
          xinsheng eval corpora --predictions evaluation/agreement/blind-600.labels.jsonl
        """
    )

    @Argument(help: ArgumentHelp("Gold JSONL file or corpus folder.", valueName: "gold"))
    var gold: String

    @Option(name: .long, help: ArgumentHelp("TSV of id<TAB>category[,category].", valueName: "file"))
    var slices: String?

    @Flag(name: .long, help: "Score binary sentiment only (negative/positive).")
    var sentimentOnly = false

    @Option(name: .long, help: ArgumentHelp("Which lines of GOLD: all, or the model's train or dev split (by the stable id hash, as `xinsheng train` splits).", valueName: "split"))
    var split: String = "all"

    @Option(name: .long, help: ArgumentHelp("Folder for the reports.", valueName: "dir"))
    var output: String = "reports"

    @Option(name: .long, help: ArgumentHelp("Report file name without extension.", discussion: "Default: the gold file's name.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("End-of-conversation gold (conversation_id, needs) for conversation files.", discussion: "Default: the *.ends.jsonl files beside GOLD.", valueName: "file"))
    var ends: String?

    @Flag(name: .long, help: "Do not print the Markdown report.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Also write the lines the model got wrong (masked text, gold and predicted labels) to this JSONL file.", valueName: "file"))
    var errors: String?

    @Option(name: .long, help: ArgumentHelp("Score the labels of this JSONL file (id, sentiment, emotions, intent, needs) instead of the model's.", valueName: "file"))
    var predictions: String?

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard ["all", "train", "dev"].contains(split) else { throw ValidationError("--split is all, train or dev") }
        if sentimentOnly && slices != nil { throw ValidationError("--slices does not apply to --sentiment-only") }
        if predictions != nil && sentimentOnly { throw ValidationError("--predictions does not apply to --sentiment-only") }
        if predictions != nil && errors != nil { throw ValidationError("--errors lists the model's mistakes; it does not apply to --predictions") }
    }

    func run() throws {
        let labeller: Labeller
        if let path = predictions {
            labeller = .given(try LabelledPredictions.read(URL(fileURLWithPath: path)), path: path)
        } else {
            labeller = .model(try modelOptions.makeAnalyzer(pipeline))
        }
        let goldURL = URL(fileURLWithPath: gold)
        var lines = try CorpusReader.readAll(goldURL).map(\.line)
        if case .given(let given, let path) = labeller {
            let known = Set(lines.map(\.id))
            let stray = given.keys.filter { !known.contains($0) }.sorted()
            if let first = stray.first {
                throw CLIError.badInput(path: path, reason: "\(stray.count) ids are not lines of \(gold), the first \(first) (预测文件中有金标文件没有的编号)")
            }
        }
        let dev = split == "all" ? nil : try devSplit(of: labeller)
        if split == "dev", case .model(let analyzer) = labeller, analyzer.model.meta.config.refitOnAllLines {
            FileHandle.standardError.write(Data("""
                note: this model's weights were refitted on the dev lines too (refit_on_all_lines), so its \
                dev figures here are not held out; meta.json's dev_metrics are the train-only fit's \
                (此模型已用验证集重新训练，验证集指标不再是留出评估)

                """.utf8))
        }
        let conversationLines = sentimentOnly ? [] : lines.filter { line in
            line.conversationID != nil && (dev.map { $0.isDev(line) == (split == "dev") } ?? true)
        }
        if let dev {
            // The trainer's own split: only fully labelled single lines can be dev.
            lines = lines.filter { line in
                let isDev = TrainingExample(line).map(dev.isDevExample) ?? false
                return isDev == (split == "dev")
            }
        }
        let agentTurns = lines.filter(\.isAgentTurn).count
        lines.removeAll(where: \.isAgentTurn)
        guard !lines.isEmpty || !conversationLines.isEmpty else { throw CorpusError.empty(path: gold) }

        var refused = 0
        var maskedTexts: [String] = []  // kept only for --errors
        let scored: [(CorpusLine, Prediction)]
        switch labeller {
        case .given(let given, let path):
            scored = lines.compactMap { line in given[line.id].map { (line, $0) } }
            if scored.count < lines.count {
                FileHandle.standardError.write(Data("eval: \(lines.count - scored.count) of \(lines.count) gold lines have no labels in \(path) and are not scored\n".utf8))
            }
            guard !scored.isEmpty else {
                throw CLIError.badInput(path: path, reason: "labels none of the lines scored from \(gold) (预测文件与金标没有共同的行)")
            }
        case .model(let analyzer):
            scored = lines.compactMap { line in
                do {
                    try analyzer.processor.validate(line.text)
                } catch {
                    refused += 1
                    FileHandle.standardError.write(Data("eval: line \(line.id) refused: \(error)\n".utf8))
                    return nil
                }
                let processed = analyzer.processor.process(line.text)
                if errors != nil { maskedTexts.append(processed.maskedText) }
                return (line, analyzer.model.predict(processed, evidence: false))
            }
        }
        if let errors { try ErrorListing.write(scored, maskedTexts: maskedTexts, to: errors) }
        let version = labeller.version
        let baseName = name ?? (goldURL.deletingPathExtension().lastPathComponent + (split == "all" ? "" : "-\(split)"))
        let outputURL = URL(fileURLWithPath: output)
        let jsonURL = outputURL.appendingPathComponent(baseName + ".json")
        let markdownURL = outputURL.appendingPathComponent(baseName + ".md")
        let markdown: String
        if sentimentOnly {
            let pairs = scored.compactMap { line, prediction in line.sentiment.map { ($0, prediction) } }
            let report = Evaluator().evaluateBinarySentiment(pairs, gold: gold, modelVersion: version)
            markdown = report.markdown
            try ReportFiles.write(report: report, markdown: markdown, json: jsonURL, markdownURL: markdownURL)
        } else {
            let sliceMap = try slices.map(SliceFile.read) ?? Dictionary(scored.compactMap { line, _ in
                line.cases.flatMap { $0.isEmpty ? nil : (line.id, $0) }
            }, uniquingKeysWith: { first, _ in first })
            var report = Evaluator().evaluate(scored.map { ($0.0, $0.1) }, gold: gold, modelVersion: version,
                                              slices: sliceMap.isEmpty ? nil : sliceMap, skippedAgentTurns: agentTurns)
            if !conversationLines.isEmpty {
                let endGold = try ConversationEnds.read(ends: ends, gold: goldURL)
                if case .given = labeller {
                    report.conversationScoring = "customer turns scored one by one against the given labels; whole conversations are replayed only with the model"
                } else if endGold.isEmpty {
                    report.conversationScoring = "customer turns scored one by one; no end-of-conversation gold found (--ends or *.ends.jsonl)"
                } else if case .model(let analyzer) = labeller {
                    let states = try ConversationReplayer(analyzer: analyzer).replay(conversationLines)
                    var pairs: [(gold: Set<String>, predicted: Set<String>)] = []
                    var missing: [String] = []
                    for (id, state) in states.sorted(by: { $0.key < $1.key }) {
                        guard let expected = endGold[id] else { missing.append(id); continue }
                        pairs.append((Set(expected), Set(state.activeNeeds.map(\.need.rawValue))))
                    }
                    report.conversations = Evaluator().evaluateConversationEnds(pairs, missingGold: missing)
                    if let errors { try ErrorListing.appendConversations(states, gold: endGold, to: errors) }
                    report.conversationScoring = "customer turns scored one by one, and \(pairs.count) whole conversations by the needs the aggregator holds at the end"
                }
            }
            markdown = report.markdown
            try ReportFiles.write(report: report, markdown: markdown, json: jsonURL, markdownURL: markdownURL)
        }
        if !quiet { print(markdown) }
        FileHandle.standardError.write(Data("eval: reports written to \(jsonURL.path) and \(markdownURL.path)\n".utf8))
        if refused > 0 { throw CLIError.someLinesRejected(rejected: refused, total: lines.count) }
    }

    /// Who labels the gold lines: the model, or a file of someone else's labels.
    private enum Labeller {
        case model(TurnAnalyzer)
        case given([String: Prediction], path: String)

        var version: String {
            switch self {
            case .model(let analyzer): analyzer.model.version
            case .given(_, let path): "labels of \(path)"
            }
        }
    }

    /// The model's own dev split; for given labels, read from the model's `meta.json` alone.
    private func devSplit(of labeller: Labeller) throws -> DatasetSplit {
        switch labeller {
        case .model(let analyzer):
            DatasetSplit(devPercent: analyzer.model.meta.config.devPercent)
        case .given:
            DatasetSplit(devPercent: try modelOptions.loadMeta().config.devPercent)
        }
    }
}

/// End-of-conversation gold: conversation id → needs.
enum ConversationEnds {
    static func read(ends: String?, gold: URL) throws -> [String: [String]] {
        let files: [URL]
        if let ends {
            files = [URL(fileURLWithPath: ends)]
        } else {
            if ProjectPaths.isDirectory(gold) {
                files = try CorpusReader.endFiles(in: gold)
            } else {
                let companion = gold.deletingPathExtension().appendingPathExtension("ends.jsonl")
                files = FileManager.default.fileExists(atPath: companion.path) ? [companion] : []
            }
        }
        var result: [String: [String]] = [:]
        for file in files {
            for (end, _) in try CorpusReader.readEnds(file) { result[end.conversationID] = end.needs }
        }
        return result
    }
}

/// `id<TAB>category[,category]` per line; `#` comments and blank lines skipped.
enum SliceFile {
    static func read(_ path: String) throws -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.cannotOpen(path: path) }
        var result: [String: [String]] = [:]
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard fields.count == 2, !fields[1].isEmpty else {
                throw CLIError.badSliceLine(path: path, line: index + 1)
            }
            result[fields[0], default: []] += fields[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return result
    }
}

/// The lines a model got wrong, for error analysis: masked text only.
enum ErrorListing {
    /// Conversations whose end set is wrong: gold, held and withdrawn needs, with the turns that raised or withdrew them.
    static func appendConversations(_ states: [String: ConversationState], gold: [String: [String]], to path: String) throws {
        struct Entry: Encodable {
            let conversationID: String
            let gold: [String]
            let held: [String]
            let withdrawn: [String: Int]
            let raisedAt: [String: [Int]]
            enum CodingKeys: String, CodingKey {
                case gold, held, withdrawn
                case conversationID = "conversation_id"
                case raisedAt = "raised_at"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = FileManager.default.contents(atPath: path) ?? Data()
        for (id, state) in states.sorted(by: { $0.key < $1.key }) {
            guard let expected = gold[id] else { continue }
            let held = state.activeNeeds.map(\.need.rawValue).sorted()
            guard held != expected.sorted() else { continue }
            let entry = Entry(conversationID: id, gold: expected.sorted(), held: held,
                              withdrawn: Dictionary(uniqueKeysWithValues: state.withdrawnNeeds.map { ($0.need.rawValue, $0.withdrawnAt ?? 0) }),
                              raisedAt: Dictionary(uniqueKeysWithValues: state.needs.map { ($0.need.rawValue, $0.mentions.map(\.turn)) }))
            out.append(try encoder.encode(entry))
            out.append(0x0A)
        }
        try ReportFiles.save(out, to: URL(fileURLWithPath: path))
    }

    static func write(_ predictions: [(CorpusLine, Prediction)], maskedTexts: [String], to path: String) throws {
        var out = Data()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for ((line, prediction), maskedText) in zip(predictions, maskedTexts) {
            let predictedNeeds = prediction.needs.map(\.label.rawValue).sorted()
            var wrong: [String] = []
            if let sentiment = line.sentiment, sentiment != prediction.sentiment.label.rawValue { wrong.append("sentiment") }
            if let intent = line.intent, intent != prediction.intent.label.rawValue { wrong.append("intent") }
            if let needs = line.needs, needs.sorted() != predictedNeeds { wrong.append("needs") }
            guard !wrong.isEmpty else { continue }
            let entry = Entry(id: line.id, maskedText: maskedText, wrong: wrong,
                              gold: Labels(sentiment: line.sentiment, intent: line.intent, needs: line.needs),
                              predicted: Labels(sentiment: prediction.sentiment.label.rawValue, intent: prediction.intent.label.rawValue,
                                                needs: predictedNeeds),
                              cases: line.cases)
            out.append(try encoder.encode(entry))
            out.append(0x0A)
        }
        try ReportFiles.save(out, to: URL(fileURLWithPath: path))
    }

    struct Labels: Encodable {
        let sentiment: String?
        let intent: String?
        let needs: [String]?
    }

    struct Entry: Encodable {
        let id: String
        let maskedText: String
        let wrong: [String]
        let gold: Labels
        let predicted: Labels
        let cases: [String]?

        enum CodingKeys: String, CodingKey {
            case id, wrong, gold, predicted, cases
            case maskedText = "masked_text"
        }
    }
}
