import Foundation
import Testing
import XinshengTestSupport

/// Runs the built `xinsheng` binary as a user would.
@Suite struct CommandLineTests {
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xinsheng")
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func run(_ arguments: [String], stdin: Data = Data()) throws -> Run {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the xinsheng product first")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let deadline = ChildProcessDeadline(process, seconds: 600)
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        // Both pipes drained at once: a child filling one while the test waits on the other would never end.
        nonisolated(unsafe) var err = Data()
        let errorRead = DispatchGroup()
        DispatchQueue.global().async(group: errorRead) { err = error.fileHandleForReading.readDataToEndOfFile() }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        errorRead.wait()
        #expect(deadline.waitUntilExit(), "xinsheng \(arguments.first ?? "") did not end within 600 s")
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func analyze_printsLabelsConfidencesAndEvidence() throws {
        let text = "下个月拿钥匙，装修分期两万五，电话13912345678"
        let result = try run(["analyze", "--format", "json", text])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["masked_text"] as? String == "下个月拿钥匙,装修分期两万五,电话[手机号]")
        let sentiment = try #require(object["sentiment"] as? [String: Any])
        #expect(["negative", "neutral", "positive"].contains(sentiment["label"] as? String ?? ""))
        #expect((sentiment["confidence"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
        let intent = try #require(object["intent"] as? [String: Any])
        #expect((intent["ranking"] as? [[String: Any]])?.count == 3)
        #expect(object["emotions"] is [Any])
        let needs = try #require(object["needs"] as? [[String: Any]])
        for need in needs {
            #expect(need["need"] is String && need["confidence"] is Double)
            for evidence in need["evidence"] as? [[String: Any]] ?? [] {
                // Offsets are UTF-16 offsets into the original text, and the text is what is there.
                let start = try #require(evidence["start"] as? Int), end = try #require(evidence["end"] as? Int)
                let units = Array(text.utf16)[start..<end]
                #expect(String(decoding: units, as: UTF16.self) == evidence["text"] as? String)
            }
        }
        #expect((object["model_version"] as? String)?.hasPrefix("xinsheng-hybrid.v4") == true)
        #expect(!result.stdout.contains("13912345678"))
    }

    @Test func analyze_withTokens_addsThePipelineView() throws {
        let result = try run(["analyze", "--format", "json", "--tokens", "装修分期两万五，电话13912345678"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pipeline = try #require(object["pipeline"] as? [String: Any])
        let tokens = try #require(pipeline["tokens"] as? [[String: Any]])
        #expect(tokens.contains { $0["text"] as? String == "两万五" && $0["kind"] as? String == "amount" })
        #expect(tokens.contains { ($0["tags"] as? [String])?.contains("need:home_renovation") == true })
        let pii = try #require(pipeline["pii"] as? [[String: Any]])
        #expect(pii.first?["kind"] as? String == "mobile_phone")
        #expect(!result.stdout.contains("13912345678"))
    }

    @Test func trainThenAnalyzeAndEval_onATinyCorpus() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = Self.packageRoot.appendingPathComponent("Tests/ClassifiersTests/Fixtures/tiny").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("training.yaml")
        try "dev_percent: 30\nmin_feature_count: 1\nl2_grid: [1.0e-4]\nhidden_layer:\n  units: 4\n  min_feature_count: 1\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let model = directory.appendingPathComponent("model").path
        let trained = try run(["train", "--corpora", corpus, "--config", config.path, "--output", model])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("needs micro-F1"))
        for file in ["meta.json", "calibration.json", "weights.bin", "hidden.bin", "dev-report.md", "dev-report.json"] {
            #expect(FileManager.default.fileExists(atPath: model + "/" + file), "\(file) missing")
        }
        let analysed = try run(["analyze", "--model", model, "--format", "json", "下个月拿钥匙想装修"])
        #expect(analysed.status == 0)

        let reports = directory.appendingPathComponent("reports").path
        let evaluated = try run(["eval", "--model", model, corpus, "--output", reports, "--name", "tiny"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.contains("| needs micro-F1 |"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reports + "/tiny.json"))) as? [String: Any])
        #expect((report["lines"] as? Int) == 40)
        #expect((report["slices"] as? [String: Any])?["third_unlinked"] != nil)

        let sentiment = directory.appendingPathComponent("sentiment.jsonl")
        try "{\"id\":\"s1\",\"text\":\"服务很好，谢谢\",\"sentiment\":\"positive\"}\n{\"id\":\"s2\",\"text\":\"软件又闪退，垃圾\",\"sentiment\":\"negative\"}\n"
            .write(to: sentiment, atomically: true, encoding: .utf8)
        let binary = try run(["eval", "--model", model, "--sentiment-only", sentiment.path, "--output", reports, "--quiet"])
        #expect(binary.status == 0, "\(binary.stderr)")
        #expect(FileManager.default.fileExists(atPath: reports + "/sentiment.md"))

        // Conversations: replayed through the aggregator, scored by the needs held at the end.
        let conversations = directory.appendingPathComponent("talks.jsonl")
        let turns = [
            #"{"id":"t1-1","conversation_id":"t1","turn":1,"speaker":"customer","text":"下个月拿钥匙想装修","sentiment":"neutral","emotions":[],"intent":"loan_inquiry","needs":["home_renovation"]}"#,
            #"{"id":"t1-2","conversation_id":"t1","turn":2,"speaker":"agent","text":"好的，可以办装修分期"}"#,
            #"{"id":"t1-3","conversation_id":"t1","turn":3,"speaker":"customer","text":"装修的事先不考虑了","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#,
            #"{"id":"t2-1","conversation_id":"t2","turn":1,"speaker":"customer","text":"在吗","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#,
            #"{"id":"t3-1","conversation_id":"t3","turn":1,"speaker":"customer","text":"转人工","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#,
        ]
        try (turns.joined(separator: "\n") + "\n").write(to: conversations, atomically: true, encoding: .utf8)
        try #"{"conversation_id":"t1","needs":[]}"#.appending("\n" + #"{"conversation_id":"t2","needs":[]}"# + "\n")
            .write(to: directory.appendingPathComponent("talks.ends.jsonl"), atomically: true, encoding: .utf8)
        let whole = try run(["eval", "--model", model, conversations.path, "--output", reports, "--quiet"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let conversationReport = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: reports + "/talks.json"))) as? [String: Any])
        let ends = try #require(conversationReport["conversations"] as? [String: Any])
        #expect((ends["conversations"] as? Int) == 2)
        #expect((ends["missing_gold"] as? [String]) == ["t3"])
        #expect(try String(contentsOfFile: reports + "/talks.md", encoding: .utf8).contains("## Conversations (needs held at the end)"))

        let explicit = directory.appendingPathComponent("other-ends.jsonl")
        try #"{"conversation_id":"t3","needs":["home_renovation"]}"#.appending("\n").write(to: explicit, atomically: true, encoding: .utf8)
        let withEnds = try run(["eval", "--model", model, conversations.path, "--ends", explicit.path, "--output", reports, "--name", "explicit", "--quiet"])
        #expect(withEnds.status == 0, "\(withEnds.stderr)")
        let explicitReport = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: reports + "/explicit.json"))) as? [String: Any])
        let explicitEnds = try #require(explicitReport["conversations"] as? [String: Any])
        #expect((explicitEnds["conversations"] as? Int) == 1)
        #expect((explicitEnds["micro_recall"] as? Double) == 0)  // 转人工 raises no need
    }

    @Test func eval_withPredictions_scoresSomeoneElsesLabels() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-given-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let gold = directory.appendingPathComponent("gold.jsonl")
        try [
            #"{"id":"g1","text":"公司裁员名单有我，这个月房贷还不上了","sentiment":"negative","emotions":["anxiety"],"intent":"repayment","needs":["financial_hardship"]}"#,
            #"{"id":"g2","text":"下个月拿钥匙，想问问装修贷","sentiment":"neutral","emotions":[],"intent":"loan_inquiry","needs":["home_renovation"]}"#,
            #"{"id":"g3","text":"我同事在装修，跟我没关系，查下余额","sentiment":"neutral","emotions":[],"intent":"account_inquiry","needs":[]}"#,
            #"{"id":"g4","text":"在吗","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#,
        ].joined(separator: "\n").appending("\n").write(to: gold, atomically: true, encoding: .utf8)
        // A second labeller's file: g4 not labelled; g2 given another intent; g3 given a need it does not have.
        let given = directory.appendingPathComponent("given.jsonl")
        try [
            #"{"id":"g1","sentiment":"negative","emotions":["anxiety"],"intent":"repayment","needs":["financial_hardship"]}"#,
            #"{"id":"g2","sentiment":"neutral","emotions":[],"intent":"repayment","needs":["home_renovation"]}"#,
            #"{"id":"g3","sentiment":"neutral","emotions":[],"intent":"account_inquiry","needs":["home_renovation"]}"#,
        ].joined(separator: "\n").appending("\n").write(to: given, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports").path

        let scored = try run(["eval", gold.path, "--predictions", given.path, "--output", reports, "--name", "given", "--quiet"])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stderr.contains("1 of 4 gold lines have no labels"))
        let report = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: reports + "/given.json"))) as? [String: Any])
        #expect(report["lines"] as? Int == 3)
        #expect((report["model_version"] as? String)?.hasPrefix("labels of ") == true)
        let intent = try #require(report["intent"] as? [String: Any])
        #expect(abs((intent["accuracy"] as? Double ?? 0) - 2.0 / 3.0) < 1e-9)
        let needs = try #require(report["needs"] as? [String: Any])
        #expect(needs["hardship_recall"] as? Double == 1)
        #expect(needs["false_alarm_rate"] as? Double == 1)  // g3, the one scored line with no need, was given one
        #expect(abs((needs["micro_f1"] as? Double ?? 0) - 0.8) < 1e-9)  // 2 shared, 1 extra: 2·2 / (3 + 2)

        // With --split, given labels are split as the model splits (its meta.json's dev percent):
        // labels for every line score the same lines of each split as the model does.
        let everyLine = directory.appendingPathComponent("every.jsonl")
        try (try String(contentsOf: given, encoding: .utf8)
            + #"{"id":"g4","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#.appending("\n"))
            .write(to: everyLine, atomically: true, encoding: .utf8)
        // A refitted model (refit_on_all_lines) has trained on its dev lines: its --split dev says so.
        let bundledMeta = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.packageRoot.appendingPathComponent("models/bundled/meta.json"))) as? [String: Any])
        let refitted = (bundledMeta["config"] as? [String: Any])?["refit_on_all_lines"] as? Bool ?? false
        for split in ["train", "dev"] {
            func scoredLines(_ extra: [String], name: String) throws -> (status: Int32, lines: Int?, notHeldOut: Bool) {
                let result = try run(["eval", gold.path, "--split", split, "--output", reports, "--name", name, "--quiet"] + extra)
                let report = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reports + "/\(name).json"))) as? [String: Any]
                return (result.status, result.status == 0 ? report?["lines"] as? Int : nil, result.stderr.contains("not held out"))
            }
            let byModel = try scoredLines([], name: "model-\(split)")
            let byLabels = try scoredLines(["--predictions", everyLine.path], name: "labels-\(split)")
            #expect(byModel.status == byLabels.status && byModel.lines == byLabels.lines, "\(split)")
            #expect(byModel.notHeldOut == (refitted && split == "dev"), "\(split)")
            #expect(!byLabels.notHeldOut, "given labels are not the model's: \(split)")
        }

        // An id the gold file does not have, and an unknown label, are errors that name the file and never a text.
        let stray = directory.appendingPathComponent("stray.jsonl")
        try #"{"id":"g9","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#.appending("\n")
            .write(to: stray, atomically: true, encoding: .utf8)
        let strayRun = try run(["eval", gold.path, "--predictions", stray.path, "--output", reports, "--quiet"])
        #expect(strayRun.status != 0)
        #expect(strayRun.stderr.contains("1 ids are not lines of") && strayRun.stderr.contains("g9"))
        let unknown = directory.appendingPathComponent("unknown.jsonl")
        try #"{"id":"g1","sentiment":"neutral","emotions":[],"intent":"mortgage","needs":[]}"#.appending("\n")
            .write(to: unknown, atomically: true, encoding: .utf8)
        let unknownRun = try run(["eval", gold.path, "--predictions", unknown.path, "--output", reports, "--quiet"])
        #expect(unknownRun.status != 0)
        #expect(unknownRun.stderr.contains(":1: unknown intent \"mortgage\""))
        #expect(!unknownRun.stderr.contains("裁员") && !strayRun.stderr.contains("裁员"))
    }

    @Test func analyze_refusesAModelTrainedWithOtherLexicons() throws {
        let result = try run(["analyze", "--lexicons", Self.packageRoot.appendingPathComponent("Tests/TextPipelineTests/Fixtures").path, "你好"])
        #expect(result.status != 0)
    }

    @Test func corpusCheck_reportsProblemsWithoutText() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("chat"), withIntermediateDirectories: true)
        let lines = [
            #"{"id":"a","channel":"chat","text":"机密内容甲乙丙","sentiment":"neutral","emotions":[],"intent":"other","needs":[]}"#,
            #"{"id":"a","channel":"chat","text":"机密内容丁戊己","sentiment":"neutral","emotions":[],"intent":"nope","needs":[]}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("chat/x.jsonl"), atomically: true, encoding: .utf8)
        let result = try run(["corpus", "check", directory.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("chat/x.jsonl:2") && result.stdout.contains("corpus.duplicate_id"))
        #expect(result.stdout.contains("corpus.unknown_label"))
        #expect(!result.stdout.contains("机密"))
    }

    @Test func badLines_areNamedAndSkipped_andNeverEchoed() throws {
        var input = Data("第一行没问题\n".utf8)
        input.append(contentsOf: Array("手机13912345678".utf8) + [0xFF, 0x0A]) // invalid UTF-8 with a phone number
        input.append(contentsOf: Array("   \n".utf8))                          // empty
        input.append(Data(String(repeating: "长", count: 400_000).utf8))      // a 1.2 MB line
        input.append(contentsOf: Array("\n最后一行也没问题\n".utf8))
        let result = try run(["analyze", "--format", "json"], stdin: input)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(result.stderr.contains("line 2:") && result.stderr.contains("input.invalid_utf8"))
        #expect(result.stderr.contains("line 3:") && result.stderr.contains("input.empty_text"))
        #expect(result.stderr.contains("line 4:") && result.stderr.contains("input.line_too_long"))
        #expect(result.stderr.contains("3 of 5 input lines were rejected"))
        #expect(lines[4].contains("最后一行也没问题"))
        #expect(!result.stderr.contains("1391") && !result.stdout.contains("1391"))
        #expect(lines[1].contains("\"message_zh\""))
    }

    @Test func jsonlInput_keepsIdsAndReportsNonObjects() throws {
        let lines = [#"{"id":"t1","text":"帳戶被凍結了"}"#, "[1]", #"{"id":"t3","text":"在吗"}"#]
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let result = try run(["analyze", "--jsonl"], stdin: input)
        #expect(result.status == 1)
        let output = result.stdout.split(separator: "\n").map(String.init)
        #expect(output.count == 3)
        #expect(output[0].contains(#""id":"t1""#) && output[0].contains("账户被冻结了"))
        #expect(output[1].contains("input.not_json_object"))
        #expect(output[2].contains(#""id":"t3""#))
    }

    @Test func segment_printsOriginalWordsOnePerInputLine() throws {
        let result = try run(["segment"], stdin: Data("帳戶被凍結了！！\n\n下个月拿钥匙\n".utf8))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.prefix(3) == ["帳戶 被 凍結 了 ！！", "", "下个月 拿钥匙"])
    }

    @Test func normalizeAndMask_work() throws {
        #expect(try run(["normalize", "ＡＢＣ帳戶！！！"]).stdout == "abc账户!\n")
        #expect(try run(["mask", "卡号6222 0212 3456 7890 128"]).stdout == "卡号[银行卡]\n")
    }

    @Test func unknownLexiconFolder_isAClearError() throws {
        let result = try run(["analyze", "--lexicons", "/nonexistent", "你好"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("lexicon.unreadable"))
    }
}
