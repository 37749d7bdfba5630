import Foundation

/// A line chart over months: one line per series on a shared count axis, and
/// under it a band of grey bars with the rows analysed each month, so a line
/// that rises with the volume is told from one that rises on its own.
struct SVGLineChart {
    struct Series {
        var label: String
        var color: String
        /// One value per category.
        var values: [Int]
    }

    var title: String
    /// The x axis, oldest first ("2025-03").
    var categories: [String]
    var series: [Series]
    /// Rows analysed per category, drawn as the lower band (nil: no band).
    var volume: [Int]?
    var volumeLabel = "每月分析行数 rows analysed"
    var width: Double = 920

    var svg: String {
        guard !categories.isEmpty else { return SVG.empty(width: width, title: title) }
        let largest = series.flatMap(\.values).max() ?? 0
        let scale = SVG.niceScale(largest)
        let left = max(36, SVG.textWidth(ReportFormat.count(scale.max), size: 11) + 14), right = 12.0
        let top = 12.0, plotHeight = 230.0
        let bandTop = top + plotHeight + 34, bandHeight = volume == nil ? 0.0 : 56.0
        let axisY = volume == nil ? top + plotHeight : bandTop + bandHeight
        let height = axisY + 26
        let plotWidth = width - left - right
        let slot = plotWidth / Double(categories.count)
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
        func y(_ value: Int) -> Double { top + plotHeight - plotHeight * Double(value) / Double(scale.max) }

        var out = SVG.open(width: width, height: height, title: title)
        // Count axis: gridlines at nice steps.
        for tick in stride(from: 0, through: scale.max, by: scale.step) {
            let ty = y(tick)
            out += "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(width - right))\" y1=\"\(SVG.n(ty))\" y2=\"\(SVG.n(ty))\" stroke=\"\(tick == 0 ? "#C5CDD8" : ReportPalette.grid)\"/>"
            out += SVG.text(ReportFormat.count(tick), x: left - 8, y: ty + 4, size: 11, fill: ReportPalette.muted, anchor: "end")
        }
        if let volume { out += band(volume, top: bandTop, height: bandHeight, left: left, slot: slot, x: x) }
        // Month labels, thinned so that they never touch.
        let every = max(1, Int((SVG.textWidth("2025-03", size: 11) + 12) / slot) + 1)
        for index in categories.indices where index % every == 0 {
            out += SVG.text(categories[index], x: x(index), y: axisY + 18, size: 11, fill: ReportPalette.muted, anchor: "middle")
        }
        // Lines, the largest drawn last so it sits on top. Points are marked
        // while there are few lines; with many they would bury the small
        // needs, so they stay invisible and only carry the hover text.
        let visibleDots = series.count <= 5 && categories.count <= 36
        for line in series.sorted(by: { $0.values.reduce(0, +) < $1.values.reduce(0, +) }) {
            let points = line.values.indices.map { "\(SVG.n(x($0))),\(SVG.n(y(line.values[$0])))" }.joined(separator: " ")
            out += "<g><title>\(ReportFormat.html(line.label))</title>"
            if line.values.count > 1 {
                out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
            }
            let dot = visibleDots || line.values.count == 1
                ? "r=\"3\" fill=\"#FFFFFF\" stroke=\"\(line.color)\" stroke-width=\"1.8\""
                : "r=\"4\" fill=\"transparent\""
            for (index, value) in line.values.enumerated() {
                out += "<circle cx=\"\(SVG.n(x(index)))\" cy=\"\(SVG.n(y(value)))\" \(dot)>"
                out += "<title>\(ReportFormat.html("\(line.label) \(categories[index]): \(ReportFormat.count(value))"))</title></circle>"
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// The lower band: rows analysed per month as grey bars on their own scale.
    private func band(_ volume: [Int], top: Double, height: Double, left: Double, slot: Double, x: (Int) -> Double) -> String {
        let largest = Double(max(1, volume.max() ?? 1))
        let barWidth = min(28, slot * 0.6)
        var out = SVG.text(volumeLabel, x: left, y: top - 8, size: 11, fill: ReportPalette.muted)
        out += SVG.text("最多 max " + ReportFormat.count(volume.max() ?? 0), x: width - 12, y: top - 8, size: 11, fill: ReportPalette.muted, anchor: "end")
        for (index, value) in volume.enumerated() where value > 0 {
            let barHeight = max(1, height * Double(value) / largest)
            out += "<rect x=\"\(SVG.n(x(index) - barWidth / 2))\" y=\"\(SVG.n(top + height - barHeight))\" width=\"\(SVG.n(barWidth))\" height=\"\(SVG.n(barHeight))\" rx=\"2\" fill=\"\(ReportPalette.volume)\">"
            out += "<title>\(ReportFormat.html("\(categories[index]): \(ReportFormat.count(value))"))</title></rect>"
        }
        return out + "<line x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(width - 12))\" y1=\"\(SVG.n(top + height))\" y2=\"\(SVG.n(top + height))\" stroke=\"#C5CDD8\"/>"
    }
}
