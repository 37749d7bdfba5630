import Foundation
import Mining
import Taxonomy
import Testing
import XinshengTestSupport

/// The sample run's report.html in a real browser: headless Chromium
/// (Debian's package) renders it to a PNG, which must hold a real page, and a
/// copy is kept as `test-artifacts/mining-report.png` for people to look at.
///
/// Without Chromium the test is skipped locally; `make test` (and so CI)
/// sets `XINSHENG_REQUIRE_BROWSER=1`, which makes a missing browser a failure.
@Suite struct ReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["XINSHENG_REQUIRE_BROWSER"] == "1"
    /// The package root: Tests/MiningTests/ReportBrowserTests.swift, three levels up.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.enabled(if: chromium != nil || required, "Chromium is not installed (apt-get install chromium)"))
    func theSampleReportRendersInChromium() throws {
        let browser = try #require(Self.chromium, "XINSHENG_REQUIRE_BROWSER=1 but no Chromium: apt-get install chromium")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mining-report-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try MiningReportWriter().write(ReportSample.summary(), to: directory)
        let page = directory.appendingPathComponent("report.html")
        let screenshot = directory.appendingPathComponent("screenshot.png")

        let status = try Self.run(browser, arguments: [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--screenshot=\(screenshot.path)", "--window-size=1100,2400", page.absoluteString,
        ])
        #expect(status == 0, "Chromium exits cleanly")

        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the screenshot is a PNG")
        #expect(png.count > 20_000, "the screenshot shows a page, not a blank (\(png.count) bytes)")

        let artifacts = Self.root.appendingPathComponent("test-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try png.write(to: artifacts.appendingPathComponent("mining-report.png"), options: .atomic)
    }

    /// Runs the browser to the end, stopping it after two minutes (a hung
    /// browser fails the test instead of hanging the suite).
    static func run(_ executable: String, arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = process.waitUntilExit(stoppingAfter: 120)
        return process.terminationStatus
    }
}

// MARK: - The sample run

/// A hand-built summary shaped like a year of app reviews and chat turns
/// at a mid-sized bank: twelve months, every need, rejects, masked examples.
/// The browser test above renders it and people look at the screenshot, so
/// it is meant to look like a real run; the writer tests build on it too.
enum ReportSample {
    static let needRows: KeyValuePairs<Need, (rows: Int, confidence: Double)> = [
        .wealthGrowth: (48_213, 0.86), .financialHardship: (36_904, 0.83), .homePurchase: (21_877, 0.88),
        .travelOverseas: (18_342, 0.81), .carPurchase: (12_065, 0.85), .homeRenovation: (9_731, 0.79),
        .education: (8_456, 0.84), .healthProtection: (7_102, 0.77), .businessFunding: (6_588, 0.8),
        .retirement: (4_973, 0.82), .familyMilestone: (3_214, 0.76), .taxPlanning: (1_406, 0.71),
    ]

    static let phrases: [Need: [String: Int]] = [
        .wealthGrowth: ["定期到期": 9_812, "闲钱": 8_770, "理财": 7_431, "收益太低": 5_102, "大额存单": 4_660, "基金定投": 3_015, "钱生钱": 1_207],
        .financialHardship: ["还不上": 7_905, "逾期": 6_412, "降薪": 4_021, "裁员": 3_377, "周转不开": 2_980, "最低还款": 2_115, "工资拖欠": 1_874],
        .homePurchase: ["首付": 6_233, "买房": 5_904, "公积金贷款": 3_410, "房贷预审": 2_188, "看房": 1_975],
        .travelOverseas: ["境外消费": 4_870, "出国旅游": 3_962, "换外币": 2_441, "出差": 1_808, "日本": 1_231],
        .carPurchase: ["车贷": 4_015, "提车": 2_870, "新能源车": 2_202, "买车": 1_766],
        .homeRenovation: ["装修": 5_170, "新房交付": 1_612, "买家电": 1_101, "翻新": 640],
        .education: ["学费": 3_340, "留学": 1_987, "考研": 1_046, "培训班": 880],
        .healthProtection: ["住院": 2_420, "医药费": 1_733, "体检异常": 902, "医疗险": 811],
        .businessFunding: ["进货": 1_960, "经营贷": 1_705, "周转": 1_322, "个体户": 1_002],
        .retirement: ["退休": 2_103, "养老金": 1_540, "养老规划": 612],
        .familyMilestone: ["结婚": 1_301, "宝宝出生": 802, "婚礼": 655],
        .taxPlanning: ["个税": 602, "年终奖": 413, "个人养老金": 250],
    ]

    static let examples: [Need: [(String, [String])]] = [
        .wealthGrowth: [("定期下个月到期了，有没有收益高一点又稳一点的理财推荐？", ["定期", "到期", "理财"]),
                        ("工资卡里的闲钱放着没什么收益，想试试基金定投，联系我[手机号]", ["闲钱", "基金定投"])],
        .financialHardship: [("这个月工资拖欠，信用卡还不上了，能不能申请分期还款", ["工资拖欠", "还不上"]),
                             ("店关了，自动还款先改成最低还款吧，卡号[银行卡]", ["店关了", "最低还款"])],
        .homePurchase: [("准备买房，首付还差一点，公积金贷款额度怎么算？", ["买房", "首付", "公积金贷款"])],
        .travelOverseas: [("下个月去日本玩，这张卡境外消费有返现吗", ["去日本玩", "境外消费"])],
        .carPurchase: [("看中一台新能源车，车贷利率现在多少", ["新能源车", "车贷"])],
        .homeRenovation: [("新房交付了准备装修，你们有装修分期吗", ["新房交付", "装修"])],
        .education: [("孩子明年去英国读研，学费要提前准备，有留学贷款吗", ["读研", "学费"])],
        .healthProtection: [("我妈住院做手术，医药费都是我出，想了解一下医疗险", ["住院", "医药费", "医疗险"])],
        .businessFunding: [("开了家小超市，进货的钱周转不开，有没有经营贷", ["进货", "经营贷"])],
        .retirement: [("明年就退休了，养老金到账后想做点养老规划", ["退休", "养老金", "养老规划"])],
        .familyMilestone: [("下个月结婚，婚礼开销大，信用卡能临时提额吗", ["结婚", "婚礼"])],
        .taxPlanning: [("年终奖扣的个税太多了，个人养老金能抵扣吗", ["年终奖", "个税", "个人养老金"])],
    ]

    static func summary() -> MiningSummary {
        var summary = MiningSummary(parameters: .init(
            files: ["data/app-reviews-FY2025.jsonl.gz", "data/chat-turns-FY2025.jsonl.gz"], format: "jsonl",
            mapping: ["text": "content", "id": "review_id", "customer": "customer_no", "time": "created_at"],
            shard: nil, tenant: "demo-bank", modelVersion: "linear-bow.v1@3f9a2c1e", lexiconVersion: "banking-zh.v4#a1b2c3",
            workers: 8, startedAt: Date(timeIntervalSince1970: 1_751_335_200)))
        summary.rowsRead = 1_284_562
        summary.rowsRejected = 3_418
        summary.rowsAnalysed = 1_281_144
        summary.rejectsByReason = ["row.not_json_object": 1_877, "row.missing_text": 1_204, "row.invalid_utf8": 212, "row.too_large": 125]
        summary.rowsWithoutNeed = 1_281_144 - 163_520
        for (need, figure) in needRows {
            summary.needRows[need.rawValue] = figure.rows
            summary.needConfidenceSum[need.rawValue] = Double(figure.rows) * figure.confidence
            summary.evidencePhrases[need.rawValue] = phrases[need]
            summary.examples[need.rawValue] = (examples[need] ?? []).enumerated().map { index, example in
                .init(source: "\(summary.parameters.files[(index + need.rawValue.count) % 2]):\(10_000 + 7_919 * (index + 1) * (need.rawValue.count + 3))",
                      maskedText: example.0, confidence: figure.confidence + 0.05, evidence: example.1, sampleKey: UInt64(index))
            }
        }
        summary.sentiments = ["negative": 402_117, "neutral": 611_930, "positive": 267_097]
        summary.emotions = ["anger": 88_410, "anxiety": 121_305]
        let intents: [Intent: Int] = [.appIssue: 301_442, .accountInquiry: 188_120, .repayment: 142_330, .cardLimit: 121_905,
                                      .transferPayment: 98_774, .complaint: 87_316, .loanInquiry: 64_212, .feeDispute: 52_118,
                                      .wealthInquiry: 47_560, .fraudSecurity: 31_004, .cardApplication: 27_446,
                                      .insuranceInquiry: 15_387, .accountClosure: 12_093]
        for (intent, rows) in intents { summary.intents[intent.rawValue] = rows }
        summary.intents[Intent.other.rawValue] = summary.rowsAnalysed - intents.values.reduce(0, +)
        summary.rowsWithoutTime = 2_315
        spreadOverMonths(&summary)
        summary.rowsWithCustomer = 742_390
        summary.tagWrites = 96_118
        summary.feedEvents = 95_877
        summary.elapsedSeconds = 4_223.6
        summary.resumes = 1
        summary.finished = true
        return summary
    }

    /// Twelve months, July 2024 to June 2025: volume grows; travel peaks at
    /// Spring Festival and in summer; hardship climbs; wealth follows deposits
    /// falling due at the turn of the year.
    static func spreadOverMonths(_ summary: inout MiningSummary) {
        let months = (0..<12).map { String(format: "%04d-%02d", $0 < 6 ? 2024 : 2025, ($0 + 6) % 12 + 1) }
        let volume = [0.074, 0.076, 0.079, 0.08, 0.081, 0.083, 0.088, 0.084, 0.085, 0.087, 0.089, 0.094]
        let timed = summary.rowsAnalysed - summary.rowsWithoutTime
        for (index, month) in months.enumerated() { summary.rowsByMonth[month] = Int(Double(timed) * volume[index]) }
        func shape(_ need: Need, _ month: Int) -> Double {
            switch need {
            case .travelOverseas: [1.2, 1.1, 0.8, 1.3, 0.7, 0.8, 1.5, 1.3, 0.8, 0.9, 1.0, 1.3][month]
            case .financialHardship: 0.7 + 0.055 * Double(month)
            case .wealthGrowth: [0.9, 0.9, 0.95, 0.9, 0.95, 1.2, 1.3, 1.1, 1.0, 1.0, 1.0, 1.05][month]
            case .homePurchase: [0.9, 0.9, 1.2, 1.1, 0.9, 0.85, 0.8, 0.9, 1.15, 1.1, 1.0, 1.0][month]
            default: 1
            }
        }
        for (need, figure) in needRows {
            let weights = (0..<12).map { volume[$0] * shape(need, $0) }
            let total = weights.reduce(0, +)
            for (index, month) in months.enumerated() {
                summary.needsByMonth[month, default: [:]][need.rawValue] = Int(Double(figure.rows) * 0.998 * weights[index] / total)
            }
        }
    }
}
