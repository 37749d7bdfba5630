import Foundation

/// Small helpers for writing SVG by hand: the report's charts are static
/// markup, so it needs no JavaScript, no chart library and no network.
enum SVG {
    /// Opens an `<svg>` element sized in CSS pixels, with an accessible title.
    static func open(width: Double, height: Double, title: String, className: String = "chart") -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="\(className)" width="\(n(width))" height="\(n(height))" \
        viewBox="0 0 \(n(width)) \(n(height))" role="img"><title>\(ReportFormat.html(title))</title>
        """
    }

    /// A coordinate with at most one decimal, without a trailing ".0".
    static func n(_ value: Double) -> String {
        let rounded = (value.isFinite ? value * 10 : 0).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// A `<text>` element; `text` is escaped here.
    static func text(_ text: String, x: Double, y: Double, size: Double = 12, fill: String = ReportPalette.ink,
                     anchor: String = "start", weight: String? = nil) -> String {
        let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
        return "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\" text-anchor=\"\(anchor)\"\(bold)>"
            + ReportFormat.html(text) + "</text>"
    }

    /// The width a line of text takes, estimated without a font engine:
    /// CJK and full-width characters are one em, Latin letters and digits about
    /// 0.58 em. Used to size label columns so that nothing overlaps.
    static func textWidth(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let em: Double = value >= 0x2E80 ? 1.0 : (value >= 0x41 && value <= 0x5A ? 0.68 : (value == 0x20 ? 0.3 : 0.58))
            return width + em * size
        }
    }

    /// A "nice" upper bound and step (1, 2 or 5 × 10ⁿ) for an axis from 0 to `value`.
    static func niceScale(_ value: Int, ticks: Int = 4) -> (max: Int, step: Int) {
        guard value > 0 else { return (max: ticks, step: 1) }
        let rough = Double(value) / Double(ticks)
        let magnitude = pow(10, floor(log10(rough)))
        let step = max(1, Int([1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude))
        return (max: Int((Double(value) / Double(step)).rounded(.up)) * step, step: step)
    }

    /// What a chart shows when it has nothing to show (keeps the SVG well formed).
    static func empty(width: Double, title: String, message: String = "无数据 · No data") -> String {
        open(width: width, height: 48, title: title)
            + "<rect x=\"0.5\" y=\"0.5\" width=\"\(n(width - 1))\" height=\"47\" rx=\"6\" fill=\"#F7F9FB\" stroke=\"\(ReportPalette.grid)\"/>"
            + text(message, x: width / 2, y: 29, size: 13, fill: ReportPalette.muted, anchor: "middle") + "</svg>"
    }
}

/// A horizontal bar chart: one labelled bar a row, its value printed after it.
struct SVGBarChart {
    struct Bar {
        /// The main label (a Chinese name).
        var label: String
        /// A quieter second label after it (the taxonomy id).
        var detail: String?
        var value: Int
        /// Printed after the bar, e.g. "1,234 · 12.3%".
        var valueText: String
        var color: String
    }

    var title: String
    var bars: [Bar]
    var width: Double = 920
    var rowHeight: Double = 30
    var barHeight: Double = 18

    var svg: String {
        guard !bars.isEmpty else { return SVG.empty(width: width, title: title) }
        let labelSize = 13.0, detailSize = 11.0, gap = 6.0
        let labelWidth = bars.map { bar in
            SVG.textWidth(bar.label, size: labelSize) + (bar.detail.map { gap + SVG.textWidth($0, size: detailSize) } ?? 0)
        }.max() ?? 0
        let valueWidth = bars.map { SVG.textWidth($0.valueText, size: 12) }.max() ?? 0
        let barLeft = min(labelWidth, width * 0.45) + 14
        let track = max(40, width - barLeft - valueWidth - 14)
        let largest = Double(max(1, bars.map(\.value).max() ?? 1))
        let height = Double(bars.count) * rowHeight + 4

        var out = SVG.open(width: width, height: height, title: title)
        for (index, bar) in bars.enumerated() {
            let top = 2 + Double(index) * rowHeight
            let middle = top + rowHeight / 2
            let length = bar.value > 0 ? max(2, track * Double(bar.value) / largest) : 0
            var label = "<text x=\"\(SVG.n(barLeft - 14))\" y=\"\(SVG.n(middle + 4.5))\" text-anchor=\"end\" font-size=\"\(SVG.n(labelSize))\" fill=\"\(ReportPalette.ink)\">"
            label += "<tspan>\(ReportFormat.html(bar.label))</tspan>"
            if let detail = bar.detail {
                label += "<tspan dx=\"\(SVG.n(gap))\" font-size=\"\(SVG.n(detailSize))\" fill=\"\(ReportPalette.muted)\">\(ReportFormat.html(detail))</tspan>"
            }
            out += label + "</text>"
            out += "<rect x=\"\(SVG.n(barLeft))\" y=\"\(SVG.n(middle - barHeight / 2))\" width=\"\(SVG.n(track))\" height=\"\(SVG.n(barHeight))\" rx=\"3\" fill=\"#F1F4F8\"/>"
            if length > 0 {
                out += "<rect x=\"\(SVG.n(barLeft))\" y=\"\(SVG.n(middle - barHeight / 2))\" width=\"\(SVG.n(length))\" height=\"\(SVG.n(barHeight))\" rx=\"3\" fill=\"\(bar.color)\">"
                out += "<title>\(ReportFormat.html(bar.label + " " + bar.valueText))</title></rect>"
            }
            let valueFill = bar.value > 0 ? ReportPalette.ink : ReportPalette.muted
            out += SVG.text(bar.valueText, x: barLeft + length + 8, y: middle + 4.5, size: 12, fill: valueFill)
        }
        return out + "</svg>"
    }
}

/// One bar split into the parts of a whole (sentiment), with a legend below.
struct SVGStackedBar {
    struct Segment {
        var label: String
        var detail: String
        var value: Int
        var color: String
    }

    var title: String
    var segments: [Segment]
    var width: Double = 920
    /// Unique in the page: the id of the clip path that rounds the bar's ends.
    var clipID = "stacked-bar"

    var svg: String {
        let total = segments.map(\.value).reduce(0, +)
        guard total > 0 else { return SVG.empty(width: width, title: title) }
        let barHeight = 34.0
        var out = SVG.open(width: width, height: barHeight + 40, title: title)
        out += "<defs><clipPath id=\"\(clipID)\"><rect width=\"\(SVG.n(width))\" height=\"\(SVG.n(barHeight))\" rx=\"6\"/></clipPath></defs><g clip-path=\"url(#\(clipID))\">"
        var x = 0.0
        var legend = ""
        var legendX = 0.0
        for segment in segments {
            let fraction = Double(segment.value) / Double(total)
            let share = ReportFormat.percent(fraction)
            let length = width * fraction
            if length > 0 {
                out += "<rect x=\"\(SVG.n(x))\" y=\"0\" width=\"\(SVG.n(length))\" height=\"\(SVG.n(barHeight))\" fill=\"\(segment.color)\">"
                out += "<title>\(ReportFormat.html("\(segment.label) \(ReportFormat.count(segment.value)) · \(share)"))</title></rect>"
                let inside = "\(segment.label) \(share)"
                if SVG.textWidth(inside, size: 13) + 16 < length {
                    out += SVG.text(inside, x: x + length / 2, y: barHeight / 2 + 4.5, size: 13, fill: "#FFFFFF", anchor: "middle", weight: "600")
                }
            }
            x += length
            let item = "\(segment.label) \(segment.detail)  \(ReportFormat.count(segment.value)) · \(share)"
            legend += "<rect x=\"\(SVG.n(legendX))\" y=\"\(SVG.n(barHeight + 17))\" width=\"12\" height=\"12\" rx=\"2\" fill=\"\(segment.color)\"/>"
            legend += SVG.text(item, x: legendX + 18, y: barHeight + 27.5, size: 12.5)
            legendX += 18 + SVG.textWidth(item, size: 12.5) + 28
        }
        return out + "</g>" + legend + "</svg>"
    }
}
