import Foundation
import Taxonomy

/// `report.html`: the whole report in one self-contained page — inline CSS,
/// inline SVG, no script, no fonts or images to fetch — so it can be mailed,
/// archived or printed as it is.
///
/// Every string that comes from the summary is escaped with
/// `ReportFormat.html` where it is written; the customer texts in the
/// examples are untrusted input.
struct ReportHTML {
    let figures: ReportFigures
    var summary: MiningSummary { figures.summary }

    /// Width of the charts inside the page's content column.
    static let chartWidth = 878.0

    var document: String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>客户心声需求挖掘报告 · \(h(summary.parameters.tenant)) · \(h(ReportFormat.utc(summary.parameters.startedAt)))</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        <main class="page">
        \(masthead)
        \(keyFigures)
        \(needsSection)
        \(sentimentSection)
        \(intentsSection)
        \(timeSection)
        \(needDetails)
        \(rejectsSection)
        \(footer)
        </main>
        </body>
        </html>

        """
    }

    func h(_ text: String) -> String { ReportFormat.html(text) }

    // MARK: Header

    /// The mapping keys `xinsheng mine` knows, in the order people think of them.
    static let mappingNames: [(key: String, zh: String)] = [("text", "文本"), ("id", "编号"), ("customer", "客户号"), ("time", "时间")]

    private var masthead: String {
        let parameters = summary.parameters
        let shown = 6
        let files = parameters.files.prefix(shown).map { "<li><code>\(h($0))</code></li>" }.joined()
            + (parameters.files.count > shown ? "<li class=\"muted\">…及另外 \(ReportFormat.count(parameters.files.count - shown)) 个文件</li>" : "")
        let known = Self.mappingNames.filter { parameters.mapping[$0.key] != nil }
        let others = parameters.mapping.keys.filter { key in !Self.mappingNames.contains { $0.key == key } }.sorted()
        let mapping = (known.map { ($0.key, $0.zh) } + others.map { ($0, "") }).map { key, zh in
            "<li>\(zh.isEmpty ? "" : zh + " ")<span class=\"en\">\(h(key))</span> ← <code>\(h(parameters.mapping[key] ?? ""))</code></li>"
        }.joined()
        let rows: [(String, String, String)] = [
            ("格式", "Format", h(parameters.format)),
            ("分片", "Shard", parameters.shard.map(h) ?? "全部 <span class=\"en\">all</span>"),
            ("并发", "Workers", ReportFormat.count(parameters.workers)),
            ("续跑次数", "Resumes", ReportFormat.count(summary.resumes)),
            ("模型版本", "Model", "<code>\(h(parameters.modelVersion))</code>"),
            ("词典版本", "Lexicon", "<code>\(h(parameters.lexiconVersion))</code>"),
            ("开始时间", "Started", h(ReportFormat.utc(parameters.startedAt))),
            ("用时", "Elapsed", h(ReportFormat.duration(summary.elapsedSeconds))),
        ]
        let cells = [
            "<div class=\"param half\"><dt>文件 <span class=\"en\">Files</span></dt><dd><ul>\(files.isEmpty ? "<li>—</li>" : files)</ul></dd></div>",
            "<div class=\"param half\"><dt>字段映射 <span class=\"en\">Mapping</span></dt><dd><ul>\(mapping.isEmpty ? "<li>—</li>" : mapping)</ul></dd></div>",
        ] + rows.map { zh, en, value in
            "<div class=\"param\"><dt>\(zh) <span class=\"en\">\(en)</span></dt><dd>\(value)</dd></div>"
        }
        let status = summary.finished
            ? "<span class=\"status done\">已完成 · finished</span>"
            : "<span class=\"status partial\">未完成 · not finished</span>"
        let warning = summary.finished ? "" : """
            <p class="banner">本次运行尚未读完全部数据，以下为截至目前的部分结果。\
            <span class="en">The run has not finished: the figures below are partial.</span></p>
            """
        return """
            <header class="masthead">
            <p class="brand">心声 Xinsheng · 需求挖掘 mining</p>
            <h1>客户心声需求挖掘报告 <span class="en">Customer-voice mining report</span></h1>
            <p class="subtitle">租户 <strong>\(h(parameters.tenant))</strong> · \(h(ReportFormat.utc(parameters.startedAt))) \(status)</p>
            </header>
            \(warning)
            <dl class="params">
            \(cells.joined(separator: "\n"))
            </dl>
            """
    }

    // MARK: Key figures

    private var keyFigures: String {
        let read = summary.rowsRead
        func share(_ rows: Int, of whole: Int) -> String { ReportFormat.percent(ReportFormat.fraction(rows, of: whole)) }
        let first = [
            kpi("读取行数", "Rows read", read, note: "全部输入记录"),
            kpi("已分析", "Analysed", summary.rowsAnalysed, note: "占读取 " + share(summary.rowsAnalysed, of: read)),
            kpi("已拒绝", "Rejected", summary.rowsRejected, note: "占读取 " + share(summary.rowsRejected, of: read),
                tone: summary.rowsRejected > 0 ? "warn" : nil),
            kpi("其他分片", "Other shards", summary.rowsOtherShards, note: summary.parameters.shard == nil ? "未分片" : "按设计跳过"),
        ]
        let second = [
            kpi("含需求的行", "Rows with a need", figures.rowsWithNeed,
                note: "占已分析 " + share(figures.rowsWithNeed, of: summary.rowsAnalysed)),
            kpi("含客户号的行", "Rows with a customer", summary.rowsWithCustomer,
                note: "占已分析 " + share(summary.rowsWithCustomer, of: summary.rowsAnalysed)),
            kpi("写入标签", "Tags written", summary.tagWrites, note: "改变了客户画像的写入"),
            kpi("推送事件", "Feed events", summary.feedEvents, note: "变更推送"),
        ]
        let balanced = figures.isBalanced
        let check = """
            <div class="check \(balanced ? "ok" : "bad")">
            <span class="mark-sign">\(balanced ? "✓" : "✗")</span>
            <span class="equation">读取 \(ReportFormat.count(read)) \(balanced ? "=" : "≠") 分析 \(ReportFormat.count(summary.rowsAnalysed))
            + 拒绝 \(ReportFormat.count(summary.rowsRejected)) + 其他分片 \(ReportFormat.count(summary.rowsOtherShards))</span>
            <span class="en">\(balanced ? "every row read is accounted for" : "rows read ≠ analysed + rejected + other shards (差 \(ReportFormat.count(read - figures.rowsAccounted)))")</span>
            </div>
            """
        return section("关键数字", "Key figures", """
            <div class="kpis">\(first.joined())</div>
            \(check)
            <div class="kpis">\(second.joined())</div>
            """)
    }

    private func kpi(_ zh: String, _ en: String, _ value: Int, note: String, tone: String? = nil) -> String {
        """
        <div class="kpi\(tone.map { " " + $0 } ?? "")"><div class="label">\(zh)</div><div class="label-en">\(en)</div>\
        <div class="value">\(ReportFormat.count(value))</div><div class="note">\(note)</div></div>
        """
    }

    // MARK: Building blocks

    /// A titled section; `body` is markup that is already escaped.
    func section(_ zh: String, _ en: String, lead: String? = nil, _ body: String) -> String {
        """
        <section>
        <h2>\(zh) <span class="en">\(en)</span></h2>
        \(lead.map { "<p class=\"lead\">\($0)</p>" } ?? "")
        \(body)
        </section>
        """
    }

    private var footer: String {
        """
        <footer>由 <code>xinsheng mine</code> 生成 · 模型 <code>\(h(summary.parameters.modelVersion))</code> · \
        词典 <code>\(h(summary.parameters.lexiconVersion))</code> · 样例文本均已脱敏，个人信息以占位符代替。\
        <span class="en">Generated by xinsheng mine; example texts are PII-masked.</span></footer>
        """
    }
}
