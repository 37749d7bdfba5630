import Foundation
import Taxonomy
import TextPipeline

/// The detail sections: evidence and masked examples per need, and rejected rows.
extension ReportHTML {
    /// Chinese and English descriptions of the reject codes.
    static var rejectDescriptions: [String: (zh: String, en: String)] { ArchiveRowError.codeDescriptions }

    /// The placeholders the PII masker writes, shown as tokens.
    static let piiPlaceholders = PIIKind.allCases.map(\.placeholder)

    var needDetails: String {
        let found = figures.needs.filter { $0.rows > 0 || !(summary.examples[$0.need.rawValue] ?? []).isEmpty }
        let missing = figures.needs.filter { figure in !found.contains { $0.need == figure.need } }
        let cards = found.map(needCard).joined(separator: "\n")
        let none = missing.isEmpty || found.isEmpty ? "" : """
            <p class="lead after">本次未检出 <span class="en">Not found</span>：\
            \(missing.map { "\(h($0.need.chineseName)) <span class=\"en\">\(h($0.need.rawValue))</span>" }.joined(separator: "、"))</p>
            """
        return section("需求明细", "Needs in detail", lead: "每个需求最常见的证据词与脱敏样例，证据词已高亮。<span class=\"en\">Top evidence phrases and masked examples, evidence highlighted.</span>",
                       (cards.isEmpty ? "<p class=\"note-box\">没有检出任何需求。<span class=\"en\">No needs were found.</span></p>" : cards) + none)
    }

    private func needCard(_ figure: ReportFigures.NeedFigure) -> String {
        let color = ReportPalette.color(for: figure.need)
        let chips = figure.topEvidence.map { phrase in
            "<span class=\"chip\">\(h(phrase.phrase))<span class=\"count\">\(ReportFormat.count(phrase.rows))</span></span>"
        }.joined()
        let examples = (summary.examples[figure.need.rawValue] ?? []).map { example in
            """
            <li><p class="quote">\(Self.highlighted(example.maskedText, evidence: example.evidence))</p>\
            <p class="meta"><code>\(h(example.source))</code> · 置信度 \(ReportFormat.decimal(example.confidence, places: 2))</p></li>
            """
        }.joined()
        return """
            <article class="need" style="--need:\(color);--tint:\(color)26;--mark:\(color)40">
            <header><h3><span class="dot"></span>\(h(figure.need.chineseName)) <span class="en">\(h(figure.need.rawValue))</span></h3>
            <p class="stats"><strong>\(ReportFormat.count(figure.rows))</strong> 行 · 占 \(ReportFormat.percent(figure.share)) · \
            平均置信度 \(ReportFormat.decimal(figure.meanConfidence, places: 2))</p></header>
            <h4>证据词 <span class="en">Evidence phrases</span></h4>
            \(chips.isEmpty ? "<p class=\"muted\">—</p>" : "<div class=\"chips\">\(chips)</div>")
            <h4>脱敏样例 <span class="en">Masked examples</span></h4>
            \(examples.isEmpty ? "<p class=\"muted\">—</p>" : "<ol class=\"examples\">\(examples)</ol>")
            </article>
            """
    }

    var rejectsSection: String {
        let rows = ReportFigures.ranked(summary.rejectsByReason) { Self.rejectDescriptions[$0]?.zh }
        guard !rows.isEmpty else {
            return section("被拒绝的行", "Rejected rows", "<p class=\"note-box ok\">✓ 没有被拒绝的行。<span class=\"en\">No rows were rejected.</span></p>")
        }
        let body = rows.map { row in
            let english = Self.rejectDescriptions[row.id]?.en ?? ""
            return """
                <tr><td><code>\(h(row.id))</code></td><td>\(h(row.name ?? "—")) <span class="en">\(h(english))</span></td>\
                <td class="num">\(ReportFormat.count(row.rows))</td><td class="num">\(ReportFormat.percent(ReportFormat.fraction(row.rows, of: summary.rowsRead)))</td></tr>
                """
        }.joined(separator: "\n")
        let total = rows.map(\.rows).reduce(0, +)
        return section("被拒绝的行", "Rejected rows", lead: "被拒绝的行写入 rejects 文件（只记文件、行号与代码，不含内容）。<span class=\"en\">Rejected rows are listed by file and line in the rejects file.</span>", """
            <table class="rejects">
            <thead><tr><th>代码 <span class="en">Code</span></th><th>说明 <span class="en">Reason</span></th><th class="num">行数 <span class="en">Rows</span></th><th class="num">占读取 <span class="en">of read</span></th></tr></thead>
            <tbody>
            \(body)
            </tbody>
            <tfoot><tr><td colspan="2">合计 <span class="en">Total</span></td><td class="num">\(ReportFormat.count(total))</td><td class="num">\(ReportFormat.percent(ReportFormat.fraction(total, of: summary.rowsRead)))</td></tr></tfoot>
            </table>
            """)
    }

    /// The masked text, escaped, with every occurrence of an evidence word in
    /// `<mark>` and the PII placeholders as quiet tokens.
    static func highlighted(_ text: String, evidence: [String]) -> String {
        let characters = Array(text)
        var marked = [Bool](repeating: false, count: characters.count)
        var placeholder = [Bool](repeating: false, count: characters.count)
        func flag(_ word: String, in flags: inout [Bool]) {
            let pattern = Array(word)
            guard !pattern.isEmpty, pattern.count <= characters.count else { return }
            for start in 0...(characters.count - pattern.count) where characters[start..<start + pattern.count].elementsEqual(pattern) {
                for index in start..<start + pattern.count { flags[index] = true }
            }
        }
        for word in evidence { flag(word, in: &marked) }
        for token in piiPlaceholders { flag(token, in: &placeholder) }

        var out = ""
        var index = 0
        while index < characters.count {
            let kind = (marked[index], placeholder[index])
            var end = index
            while end < characters.count, (marked[end], placeholder[end]) == kind { end += 1 }
            var run = ReportFormat.html(String(characters[index..<end]))
            if kind.1 { run = "<span class=\"pii\" title=\"已脱敏 masked\">\(run)</span>" }
            if kind.0 { run = "<mark>\(run)</mark>" }
            out += run
            index = end
        }
        return out
    }
}
