import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Mining
import Taxonomy
import Testing

/// The report writer's three files, from summaries built by hand: a realistic
/// run, the same run with hostile text planted in it, an unbalanced one, and
/// an empty one.
@Suite struct MiningReportWriterTests {
    /// The sample run with things a careless writer would get wrong: markup in
    /// an example and a file name, a phrase with a comma and quotes.
    static func hostileSummary() -> MiningSummary {
        var summary = ReportSample.summary()
        summary.parameters.files.append("exports/a&b <2025>.jsonl")
        summary.examples["financial_hardship", default: []].append(.init(
            source: "exports/a&b <2025>.jsonl:77",
            maskedText: "我的卡号[银行卡]，工资拖欠还不上了<script>alert('x')</script>",
            confidence: 0.93, evidence: ["还不上"], sampleKey: 1))
        summary.evidencePhrases["financial_hardship", default: [:]]["月供,\"压力\"大"] = 99_999
        return summary
    }

    /// The fragments that `text` lacks (an expectation then names them, not the whole page).
    static func missing(_ fragments: [String], in text: String) -> [String] {
        fragments.filter { !text.contains($0) }
    }

    /// The fragments that `text` holds.
    static func found(_ fragments: [String], in text: String) -> [String] {
        fragments.filter { text.contains($0) }
    }

    static func written(_ summary: MiningSummary) throws -> (directory: URL, html: String, csv: String, json: Data) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mining-report-\(UUID().uuidString)")
        try MiningReportWriter().write(summary, to: directory)
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        let csv = try String(contentsOf: directory.appendingPathComponent("needs.csv"), encoding: .utf8)
        let json = try Data(contentsOf: directory.appendingPathComponent("summary.json"))
        return (directory, html, csv, json)
    }

    @Test func theThreeFilesAreWritten() throws {
        let output = try Self.written(ReportSample.summary())
        for name in ["summary.json", "needs.csv", "report.html"] {
            let path = output.directory.appendingPathComponent(name).path
            #expect(FileManager.default.fileExists(atPath: path), "\(name) exists")
        }
        try? FileManager.default.removeItem(at: output.directory)
    }

    // MARK: summary.json

    @Test func summaryJSON_decodesBackToTheSummary_andItsSharesMatchTheCounts() throws {
        let summary = Self.hostileSummary()
        let output = try Self.written(summary)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(MiningSummary.self, from: output.json) == summary)

        let derived = try decoder.decode(DerivedFile.self, from: output.json).derived
        #expect(derived.accounting.balanced)
        #expect(derived.accounting.rowsAccounted == summary.rowsRead)
        #expect(derived.rowsWithNeed == summary.rowsAnalysed - summary.rowsWithoutNeed)
        #expect(derived.needs.map(\.need).sorted() == Need.allCases.map(\.rawValue).sorted())
        for need in derived.needs {
            let rows = summary.needRows[need.need] ?? 0
            #expect(need.rows == rows)
            #expect(need.nameZH == Need(rawValue: need.need)?.chineseName)
            #expect(need.share == Double(rows) / Double(summary.rowsAnalysed), "share of \(need.need)")
            #expect(abs(need.meanConfidence - (rows > 0 ? summary.needConfidenceSum[need.need]! / Double(rows) : 0)) < 1e-12)
            #expect(need.topEvidence.count <= 10)
            #expect(need.topEvidence.map(\.rows) == need.topEvidence.map(\.rows).sorted(by: >), "most frequent first")
        }
        let hardship = try #require(derived.needs.first { $0.need == "financial_hardship" })
        #expect(hardship.topEvidence.first?.phrase == "月供,\"压力\"大")
        let text = String(decoding: output.json, as: UTF8.self)
        #expect(text.contains("\"started_at\" : \"2025-07-01T02:00:00Z\""), "dates are ISO 8601, output pretty printed")
    }

    @Test func summaryJSON_keysAreSnakeCaseAndSorted() throws {
        let output = try Self.written(ReportSample.summary())
        let object = try #require(try JSONSerialization.jsonObject(with: output.json) as? [String: Any])
        let derived = try #require(object["derived"] as? [String: Any])
        for key in Array(object.keys) + Array(derived.keys) {
            #expect(key == key.lowercased() && !key.contains("-"), "\(key) is snake_case")
        }
        let text = String(decoding: output.json, as: UTF8.self)
        let topLevel = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(topLevel == topLevel.sorted(), "keys are sorted")
    }

    // MARK: needs.csv

    @Test func needsCSV_hasOneRowPerTaxonomyNeed_mostRowsFirst() throws {
        let summary = ReportSample.summary()
        let rows = CSVText.parse(try Self.written(summary).csv)
        #expect(rows.first == ["need", "name_zh", "rows", "share", "mean_confidence", "top_evidence"])
        let body = Array(rows.dropFirst())
        #expect(body.count == Need.allCases.count)
        #expect(Set(body.map { $0[0] }) == Set(Need.allCases.map(\.rawValue)))
        let counts = body.map { Int($0[2])! }
        #expect(counts == counts.sorted(by: >))
        for row in body {
            let need = try #require(Need(rawValue: row[0]))
            #expect(row[1] == need.chineseName)
            #expect(row[3] == String(format: "%.4f", Double(summary.needRows[need.rawValue] ?? 0) / Double(summary.rowsAnalysed)))
            #expect(row[5].split(separator: "、").count <= 5)
        }
        let wealth = try #require(body.first { $0[0] == "wealth_growth" })
        #expect(wealth[5] == "定期到期、闲钱、理财、收益太低、大额存单")
    }

    @Test func needsCSV_quotesAFieldWithACommaAndDoublesItsQuotes() throws {
        let output = try Self.written(Self.hostileSummary())
        let line = try #require(output.csv.split(separator: "\n").first { $0.hasPrefix("financial_hardship,") })
        #expect(line.contains(",\"月供,\"\"压力\"\"大、"), "quoted, quotes doubled: \(line)")
        let row = try #require(CSVText.parse(output.csv).first { $0.first == "financial_hardship" })
        #expect(row.count == 6)
        #expect(row[5].hasPrefix("月供,\"压力\"大、"))
    }

    @Test func needsCSV_tiesAreOrderedById() throws {
        var summary = ReportSample.summary()
        summary.needRows = ["retirement": 5, "education": 5, "car_purchase": 7]
        let ids = CSVText.parse(try Self.written(summary).csv).dropFirst().map { $0[0] }
        #expect(Array(ids.prefix(3)) == ["car_purchase", "education", "retirement"])
        #expect(Array(ids.dropFirst(3)) == Array(ids.dropFirst(3)).sorted(), "the needs with no rows by id")
    }

    // MARK: report.html

    @Test func reportHTML_hasAnSVGForEachChart_andEverySVGIsWellFormed() throws {
        let html = try Self.written(ReportSample.summary()).html
        let svgs = SVGFragments.all(in: html)
        let charts = svgs.filter { $0.contains("class=\"chart\"") }
        #expect(charts.count == 5, "needs, sentiment, emotions, intents, needs by month")
        for title in ["潜在需求行数", "情感分布", "情绪", "诉求意图", "每月需求行数"] {
            #expect(charts.contains { $0.contains("<title>\(title)") }, "a chart titled \(title)")
        }
        #expect(svgs.filter { $0.contains("class=\"spark\"") }.count == Need.allCases.count, "a small trend chart per need")
        for svg in svgs { #expect(SVGFragments.isWellFormed(svg), "well-formed: \(svg.prefix(120))") }
        #expect(Self.found(["NaN", "inf\""], in: html) == [])
    }

    @Test func reportHTML_isSelfContained_noScriptNoNetwork() throws {
        let html = try Self.written(Self.hostileSummary()).html
        let withoutNamespaces = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(Self.found(["http://", "https://"], in: withoutNamespaces) == [], "nothing to fetch")
        #expect(Self.found(["<script"], in: html.lowercased()) == [], "no JavaScript")
        #expect(Self.found(["<link", "<img", "<iframe", "@import", "src=", "@font-face"], in: html) == [], "no external resources")
    }

    @Test func reportHTML_escapesTextFromTheSummary() throws {
        let html = try Self.written(Self.hostileSummary()).html
        #expect(Self.missing(["&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"], in: html) == [], "the planted script is shown, escaped")
        #expect(Self.missing(["exports/a&amp;b &lt;2025&gt;.jsonl"], in: html) == [], "file names are escaped")
        #expect(Self.found(["<script>", "a&b <2025>"], in: html) == [])
    }

    @Test func reportHTML_showsTheParametersFiguresAndRejects() throws {
        let html = try Self.written(Self.hostileSummary()).html
        #expect(Self.missing(["data/app-reviews-FY2025.jsonl.gz", "linear-bow.v1@3f9a2c1e", "banking-zh.v4", "2025-07-01 02:00:00 UTC",
                              "1 小时 10 分 24 秒", "1,284,562", "1,281,144", "3,418", "✓", "96,118", "95,877",
                              "非 UTF-8 字节", "不是 JSON 对象", "缺少文本字段", "超过大小上限", "row.not_json_object",
                              "购房", "home_purchase", "48,213 · 3.8%", "APP问题", "负面", "愤怒", "2024-07", "2025-06"], in: html) == [])
        #expect(Self.missing(["<mark>还不上</mark>"], in: html) == [], "evidence words are highlighted")
        #expect(Self.missing(["<span class=\"pii\" title=\"已脱敏 masked\">[银行卡]</span>"], in: html) == [], "PII placeholders are tokens")
    }

    @Test func reportHTML_givesEachNeedOneColourInEveryChart() throws {
        let html = try Self.written(ReportSample.summary()).html
        let svgs = SVGFragments.all(in: html)
        let needsChart = try #require(svgs.first { $0.contains("<title>潜在需求行数") })
        let timeChart = try #require(svgs.first { $0.contains("<title>每月需求行数") })
        for need in Need.allCases {
            let color = ReportPalette.color(for: need)
            #expect(needsChart.contains("fill=\"\(color)\""), "\(need) bar")
            #expect(timeChart.contains("stroke=\"\(color)\""), "\(need) line")
            #expect(Self.missing(["<span class=\"swatch line\" style=\"--c:\(color)\">"], in: html) == [], "\(need) legend")
            #expect(Self.missing(["<article class=\"need\" style=\"--need:\(color);"], in: html) == [], "\(need) card")
        }
        #expect(Set(Need.allCases.map(ReportPalette.color(for:))).count == Need.allCases.count, "no two needs share a colour")
    }

    @Test func reportHTML_marksAnUnbalancedRunWithACross() throws {
        var summary = ReportSample.summary()
        summary.rowsRead += 5
        let html = try Self.written(summary).html
        #expect(Self.missing(["<span class=\"mark-sign\">✗</span>", "(差 5)"], in: html) == [])
        #expect(Self.found(["<span class=\"mark-sign\">✓"], in: html) == [])
    }

    @Test func reportHTML_withoutATimeField_saysSoInsteadOfALineChart() throws {
        var summary = ReportSample.summary()
        summary.parameters.mapping["time"] = nil
        summary.rowsByMonth = [:]
        summary.needsByMonth = [:]
        let html = try Self.written(summary).html
        #expect(Self.missing(["未映射时间字段"], in: html) == [])
        #expect(SVGFragments.all(in: html).count == 4, "no time chart, no small trend charts")
    }

    @Test func reportHTML_withOneMonth_drawsPointsNotABrokenLine() throws {
        var summary = ReportSample.summary()
        summary.rowsByMonth = ["2025-03": 10]
        summary.needsByMonth = ["2025-03": ["home_purchase": 4]]
        let svgs = SVGFragments.all(in: try Self.written(summary).html)
        let time = try #require(svgs.first { $0.contains("<title>每月需求行数") })
        #expect(time.contains("<circle") && !time.contains("<polyline"))
        #expect(SVGFragments.isWellFormed(time))
    }

    @Test func anEmptySummary_rendersWithoutDividingByZero() throws {
        let empty = MiningSummary(parameters: ReportSample.summary().parameters)
        let output = try Self.written(empty)
        #expect(Self.found(["NaN", "inf\""], in: output.html) == [])
        #expect(Self.missing(["0.0%", "没有被拒绝的行", "无数据"], in: output.html) == [])
        for svg in SVGFragments.all(in: output.html) { #expect(SVGFragments.isWellFormed(svg)) }
        let derived = try JSONDecoder().decode(DerivedFile.self, from: output.json).derived
        #expect(derived.needs.allSatisfy { $0.share == 0 && $0.meanConfidence == 0 })
        #expect(derived.accounting.balanced)
        #expect(CSVText.parse(output.csv).count == Need.allCases.count + 1)
    }

    @Test func numbersAreGroupedAndPercentagesHaveOneDecimal() {
        #expect(ReportFormat.count(0) == "0")
        #expect(ReportFormat.count(12_345) == "12,345")
        #expect(ReportFormat.count(1_284_562) == "1,284,562")
        #expect(ReportFormat.percent(0.12345) == "12.3%")
        #expect(ReportFormat.percent(ReportFormat.fraction(1, of: 0)) == "0.0%")
    }

    @Test func monthAxis_fillsGapsBetweenTheFirstAndLastMonth() {
        #expect(ReportHTML.monthAxis(["2024-11", "2025-02"]) == ["2024-11", "2024-12", "2025-01", "2025-02"])
        #expect(ReportHTML.monthAxis(["unknown", "2025-02"]) == ["2025-02", "unknown"])
    }
}

// MARK: - Reading the files back

extension MiningReportWriterTests {
    /// The `derived` object of summary.json, as a consumer would read it.
    struct DerivedFile: Decodable {
        struct Derived: Decodable {
            struct Accounting: Decodable {
                var balanced: Bool
                var rowsAccounted: Int
                enum CodingKeys: String, CodingKey { case balanced, rowsAccounted = "rows_accounted" }
            }
            struct NeedFigure: Decodable {
                struct Phrase: Decodable { var phrase: String; var rows: Int }
                var need: String
                var nameZH: String
                var rows: Int
                var share: Double
                var meanConfidence: Double
                var topEvidence: [Phrase]
                enum CodingKeys: String, CodingKey {
                    case need, rows, share
                    case nameZH = "name_zh", meanConfidence = "mean_confidence", topEvidence = "top_evidence"
                }
            }
            var accounting: Accounting
            var rowsWithNeed: Int
            var needs: [NeedFigure]
            enum CodingKeys: String, CodingKey { case accounting, needs, rowsWithNeed = "rows_with_need" }
        }
        var derived: Derived
    }

    /// A strict RFC 4180 reader, independent of the writer's code.
    enum CSVText {
        static func parse(_ text: String) -> [[String]] {
            var rows: [[String]] = [], row: [String] = [], field = ""
            var quoted = false, iterator = Array(text.unicodeScalars).makeIterator(), pending: Unicode.Scalar?
            while let scalar = pending ?? iterator.next() {
                pending = nil
                if quoted {
                    if scalar == "\"" {
                        let next = iterator.next()
                        if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                    } else { field.unicodeScalars.append(scalar) }
                } else if scalar == "\"" && field.isEmpty {
                    quoted = true
                } else if scalar == "," {
                    row.append(field); field = ""
                } else if scalar == "\n" {
                    row.append(field); rows.append(row); row = []; field = ""
                } else { field.unicodeScalars.append(scalar) }
            }
            if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
            return rows
        }
    }

    /// The `<svg>…</svg>` fragments of a page, checked as XML.
    enum SVGFragments {
        static func all(in html: String) -> [String] {
            var fragments: [String] = [], rest = html[...]
            while let start = rest.range(of: "<svg"), let end = rest[start.upperBound...].range(of: "</svg>") {
                fragments.append(String(rest[start.lowerBound..<end.upperBound]))
                rest = rest[end.upperBound...]
            }
            return fragments
        }

        static func isWellFormed(_ svg: String) -> Bool {
            XMLParser(data: Data(svg.utf8)).parse()
        }
    }
}
