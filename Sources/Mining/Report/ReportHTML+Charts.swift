import Foundation
import Taxonomy

/// The chart sections: needs, sentiment and emotions, intents, needs by month.
extension ReportHTML {
    var needsSection: String {
        let bars = figures.needs.map { figure in
            SVGBarChart.Bar(label: figure.need.chineseName, detail: figure.need.rawValue, value: figure.rows,
                            valueText: "\(ReportFormat.count(figure.rows)) · \(ReportFormat.percent(figure.share))",
                            color: ReportPalette.color(for: figure.need))
        }
        let chart = SVGBarChart(title: "潜在需求行数 Rows per need", bars: bars, width: Self.chartWidth)
        let lead = """
            占比 = 含该需求的行 ÷ 已分析行（\(ReportFormat.count(summary.rowsAnalysed))）。一行可含多个需求，故占比之和可超过 100%。\
            <span class="en">Share = rows with the need ÷ rows analysed; a row may show several needs.</span>
            """
        return section("潜在需求", "Latent needs", lead: lead, "<div class=\"card\">\(chart.svg)</div>")
    }

    var sentimentSection: String {
        let segments = Sentiment.allCases.map { sentiment in
            SVGStackedBar.Segment(label: sentiment.chineseName, detail: sentiment.rawValue,
                                  value: summary.sentiments[sentiment.rawValue] ?? 0, color: ReportPalette.color(for: sentiment))
        } + summary.sentiments.keys.filter { Sentiment(rawValue: $0) == nil }.sorted().map { id in
            SVGStackedBar.Segment(label: id, detail: "", value: summary.sentiments[id] ?? 0, color: ReportPalette.neutralBar)
        }
        let stacked = SVGStackedBar(title: "情感分布 Sentiment", segments: segments, width: Self.chartWidth)
        var emotionCounts = summary.emotions
        for emotion in Emotion.allCases where emotionCounts[emotion.rawValue] == nil { emotionCounts[emotion.rawValue] = 0 }
        let emotionBars = ReportFigures.ranked(emotionCounts) { Emotion(rawValue: $0)?.chineseName }.map { item in
            SVGBarChart.Bar(label: item.name ?? item.id, detail: item.name == nil ? nil : item.id, value: item.rows,
                            valueText: "\(ReportFormat.count(item.rows)) · \(ReportFormat.percent(figures.shareOfAnalysed(item.rows)))",
                            color: Emotion(rawValue: item.id).map(ReportPalette.color(for:)) ?? ReportPalette.neutralBar)
        }
        let emotions = SVGBarChart(title: "情绪 Emotions", bars: emotionBars, width: Self.chartWidth)
        return section("情感与情绪", "Sentiment and emotions", """
            <div class="card">
            <h3>情感分布 <span class="en">Sentiment, one per row</span></h3>
            \(stacked.svg)
            <h3>情绪 <span class="en">Emotions (negative rows only; a row may show both)</span></h3>
            \(emotions.svg)
            </div>
            """)
    }

    var intentsSection: String {
        let bars = ReportFigures.ranked(summary.intents) { Intent(rawValue: $0)?.chineseName }.map { item in
            SVGBarChart.Bar(label: item.name ?? item.id, detail: item.name == nil ? nil : item.id, value: item.rows,
                            valueText: "\(ReportFormat.count(item.rows)) · \(ReportFormat.percent(figures.shareOfAnalysed(item.rows)))",
                            color: ReportPalette.neutralBar)
        }
        let chart = SVGBarChart(title: "诉求意图 Intents", bars: bars, width: Self.chartWidth, rowHeight: 27, barHeight: 15)
        return section("诉求意图", "Intents", lead: "客户明确要办的事，每行一个。<span class=\"en\">What the customer came to do; one per row.</span>",
                       "<div class=\"card\">\(chart.svg)</div>")
    }

    var timeSection: String {
        guard !summary.rowsByMonth.isEmpty else {
            let message = summary.parameters.mapping["time"].map { field in
                "时间字段 <code>\(h(field))</code> 没有可解析的值，无法按月展示需求趋势。<span class=\"en\">The time field held no readable dates.</span>"
            } ?? "未映射时间字段（字段映射中没有 <code>time</code>），无法按月展示需求趋势。<span class=\"en\">No time field was mapped, so there is no monthly view.</span>"
            return section("需求趋势", "Needs by month", "<p class=\"note-box\">\(message)</p>")
        }
        let months = Self.monthAxis(Set(summary.rowsByMonth.keys).union(summary.needsByMonth.keys))
        // Needs seen in these months, most rows first (the legend's order).
        let drawn = figures.needs.compactMap { figure -> (need: Need, series: SVGLineChart.Series)? in
            let values = months.map { summary.needsByMonth[$0]?[figure.need.rawValue] ?? 0 }
            guard values.contains(where: { $0 > 0 }) else { return nil }
            return (figure.need, SVGLineChart.Series(label: figure.need.chineseName, color: ReportPalette.color(for: figure.need), values: values))
        }
        let chart = SVGLineChart(title: "每月需求行数 Rows per need and month", categories: months, series: drawn.map(\.series),
                                 volume: months.map { summary.rowsByMonth[$0] ?? 0 }, width: Self.chartWidth)
        let legend = drawn.map { need, _ in
            "<span class=\"legend-item\"><span class=\"swatch line\" style=\"--c:\(ReportPalette.color(for: need))\"></span>"
                + "\(h(need.chineseName)) <span class=\"en\">\(h(need.rawValue))</span></span>"
        }.joined()
        let withoutTime = summary.rowsWithoutTime > 0
            ? "<p class=\"lead after\">另有 \(ReportFormat.count(summary.rowsWithoutTime)) 行时间字段缺失或无法解析，未计入此图。<span class=\"en\">Rows without a readable time are not shown.</span></p>"
            : ""
        let lead = "每条线为一个需求的月度行数；下方灰色柱为当月分析行数。<span class=\"en\">Lines: rows per need; grey bars: rows analysed that month.</span>"
        return section("需求趋势", "Needs by month", lead: lead, """
            <div class="card">\(chart.svg)
            <div class="legend">\(legend.isEmpty ? "<span class=\"muted\">这些月份未检出需求 · no needs in these months</span>" : legend)</div>
            </div>
            \(withoutTime)
            \(drawn.isEmpty ? "" : sparklines(drawn.map(\.need), months: months))
            """)
    }

    /// One small chart per need, each on its own scale, with its peak month.
    private func sparklines(_ needs: [Need], months: [String]) -> String {
        let cells = needs.map { need in
            let values = months.map { summary.needsByMonth[$0]?[need.rawValue] ?? 0 }
            let peak = values.indices.max { values[$0] < values[$1] } ?? 0
            let spark = SVGSparkline(title: "\(need.chineseName) 每月行数", values: values, color: ReportPalette.color(for: need))
            return """
                <div class="spark-cell" style="--need:\(ReportPalette.color(for: need))">\
                <div class="spark-head"><span class="dot"></span>\(h(need.chineseName)) <span class="en">\(h(need.rawValue))</span></div>\
                \(spark.svg)<div class="spark-foot">峰值 <span class="en">peak</span> \(h(months[peak])) · \(ReportFormat.count(values[peak]))</div></div>
                """
        }.joined()
        return """
            <h3 class="sub">各需求走势 <span class="en">Each need on its own scale, \(h(months.first ?? "")) – \(h(months.last ?? ""))</span></h3>
            <div class="sparks">\(cells)</div>
            """
    }

    /// The months to draw, oldest first. Gaps inside the range are filled with
    /// empty months so that the axis is even; keys that are not `yyyy-MM`, or
    /// a span over 20 years (a broken time field), are shown as they come.
    static func monthAxis(_ keys: Set<String>) -> [String] {
        let sorted = keys.sorted()
        let parsed = sorted.compactMap { key -> (year: Int, month: Int)? in
            let parts = key.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            return (year, month)
        }
        guard parsed.count == sorted.count, let first = parsed.first, let last = parsed.last else { return sorted }
        let span = (last.year - first.year) * 12 + last.month - first.month
        guard span <= 240 else { return sorted }
        return (0...span).map { offset in
            let index = first.year * 12 + first.month - 1 + offset
            return String(format: "%04d-%02d", index / 12, index % 12 + 1)
        }
    }
}
