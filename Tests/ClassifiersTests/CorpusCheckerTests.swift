import Foundation
import Testing
@testable import Classifiers

@Suite struct CorpusCheckerTests {
    func check(_ files: [String: String]) throws -> [CorpusChecker.Problem] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, content) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        return try CorpusChecker().check(directory: directory).problems
    }

    static let good = """
    {"id":"chat-x-01-001","channel":"chat","text":"下个月拿钥匙了","sentiment":"neutral","emotions":[],"intent":"loan_inquiry","needs":["home_renovation"],"cases":["implied"]}
    {"id":"chat-x-01-002","channel":"chat","text":"失业了还不上信用卡","sentiment":"negative","emotions":["anxiety"],"intent":"repayment","needs":["financial_hardship"],"cases":[]}

    """

    @Test func aValidCorpus_hasNoProblems() throws {
        #expect(try check(["chat/x-01.jsonl": Self.good]).isEmpty)
    }

    @Test func aBrokenLine_isReportedWithFileAndLine() throws {
        let bad = """
        {"id":"chat-x-01-001","channel":"chat","text":"下个月拿钥匙了","sentiment":"neutral","emotions":[],"intent":"loan_inquiry","needs":["home_renovation"],"cases":[]}
        {"id":"chat-x-01-002","channel":"chat","text":"秘密文本","sentiment":"neutral"
        """
        let problems = try check(["chat/x-01.jsonl": bad])
        #expect(problems.map(\.code) == ["corpus.malformed_line"])
        #expect(problems.first?.location == "chat/x-01.jsonl:2")
        for problem in problems { #expect(!problem.description.contains("秘密")) }
    }

    @Test func eachBadLineIsReported() throws {
        let bad = """
        {"id":"chat-x-01-001","channel":"chat","text":"下个月拿钥匙了","sentiment":"neutral","emotions":[],"intent":"loan_inquiry","needs":["home_renovation"],"cases":[]}
        {"id":"chat-x-01-001","channel":"chat","text":"秘密文本一","sentiment":"happy","emotions":[],"intent":"loan_inquiry","needs":[],"cases":[]}
        {"id":"chat-x-01-003","channel":"chat","text":"秘密文本二","sentiment":"neutral","emotions":["anger"],"intent":"loan","needs":["retirement","home_purchase"],"cases":["odd"]}
        """
        let problems = try check(["chat/x-01.jsonl": bad])
        for problem in problems { #expect(!problem.description.contains("秘密")) }
        #expect(Set(problems.map(\.code)) == ["corpus.duplicate_id", "corpus.unknown_label", "corpus.emotion_not_negative", "corpus.needs_order",
                          "corpus.unknown_case"])
    }

    @Test func agentTurnsMustBeUnlabelled_andConversationsComplete() throws {
        var turns: [String] = []
        for turn in 1...6 {
            let speaker = turn % 2 == 1 ? "customer" : "agent"
            var line = "{\"id\":\"conv-x-01-001-0\(turn)\",\"conversation_id\":\"conv-x-01-001\",\"turn\":\(turn),\"speaker\":\"\(speaker)\",\"channel\":\"chat\",\"text\":\"第\(turn)句话各不相同\(String(repeating: "啊", count: turn))\""
            if speaker == "customer" || turn == 4 {
                line += ",\"sentiment\":\"neutral\",\"emotions\":[],\"intent\":\"other\",\"needs\":[],\"cases\":[]"
            }
            turns.append(line + "}")
        }
        let problems = try check(["conversations/x-01.jsonl": turns.joined(separator: "\n")])
        #expect(Set(problems.map(\.code)) == ["corpus.labelled_agent_turn", "corpus.missing_end"])
    }

    @Test func nearDuplicates_areFlagged() throws {
        let lines = """
        {"id":"chat-x-01-001","channel":"chat","text":"我想问一下信用卡的年费怎么收的","sentiment":"neutral","emotions":[],"intent":"fee_dispute","needs":[],"cases":[]}
        {"id":"chat-x-01-002","channel":"chat","text":"我想问一下信用卡的年费怎么收啊","sentiment":"neutral","emotions":[],"intent":"fee_dispute","needs":[],"cases":[]}
        """
        let problems = try check(["chat/x-01.jsonl": lines])
        #expect(problems.map(\.code) == ["corpus.near_duplicate"])
    }

    @Test func shortAnswersInsideConversations_mayRepeat() throws {
        let fillers = ["信用卡账单什么时候出", "您好请稍等我查一下", "这个月还款日是几号", "已经帮您查到了",
                       "转账一直显示处理中", "我们会尽快处理", "理财到期了怎么续", "请在首页点击理财",
                       "手机银行登录不上去", "请您更新到最新版本", "年费可以减免吗", "满足条件可以减免"]
        func conversation(_ id: String, answer: String, offset: Int) -> String {
            (1...6).map { turn in
                let speaker = turn % 2 == 1 ? "customer" : "agent"
                let text = turn == 3 ? answer : fillers[offset + turn - 1]
                var line = "{\"id\":\"\(id)-0\(turn)\",\"conversation_id\":\"\(id)\",\"turn\":\(turn),\"speaker\":\"\(speaker)\",\"channel\":\"chat\",\"text\":\"\(text)\""
                if speaker == "customer" { line += ",\"sentiment\":\"neutral\",\"emotions\":[],\"intent\":\"other\",\"needs\":[],\"cases\":[]" }
                return line + "}"
            }.joined(separator: "\n")
        }
        let ends = "{\"conversation_id\":\"conv-x-01-001\",\"needs\":[]}\n{\"conversation_id\":\"conv-x-01-002\",\"needs\":[]}\n"
        let problems = try check([
            "conversations/x-01.jsonl": conversation("conv-x-01-001", answer: "对", offset: 0) + "\n" + conversation("conv-x-01-002", answer: "对", offset: 6),
            "conversations/x-01.ends.jsonl": ends,
        ])
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func reviews_carrySentimentOnly() throws {
        let reviews = """
        {"id":"review-x-01-001","text":"房间干净，早餐也不错","sentiment":"positive","cases":[]}
        {"id":"review-x-01-002","channel":"chat","text":"送餐太慢了，汤都洒了","sentiment":"negative","intent":"other"}
        """
        let problems = try check(["reviews/x-01.jsonl": reviews])
        #expect(problems.map(\.code) == ["corpus.unexpected_label"])
    }
}

@Suite struct NearDuplicateFinderTests {
    @Test func identicalShortTexts_areDuplicates() {
        let pairs = NearDuplicateFinder().pairs(in: ["余额？", "余额", "在吗"])
        #expect(pairs == [NearDuplicateFinder.Pair(first: 0, second: 1, similarity: 1)])
    }

    @Test func differentLinesAboutTheSameThing_areNot() {
        let pairs = NearDuplicateFinder().pairs(in: ["下个月拿钥匙了，装修想分期", "新房交付了，想问问装修贷款怎么办理"])
        #expect(pairs.isEmpty)
    }

    @Test func aTraditionalCopyOfASimplifiedLine_isADuplicate() {
        // Compared after normalisation: 帳戶被凍結了 is 账户被冻结了 written in Traditional
        // characters, and full-width ！ is the ASCII one.
        let pairs = NearDuplicateFinder().pairs(in: ["我的账户被冻结了怎么办!", "我的帳戶被凍結了怎麼辦！", "账单出了没"])
        #expect(pairs == [NearDuplicateFinder.Pair(first: 0, second: 1, similarity: 1)])
    }
}
