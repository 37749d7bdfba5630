/// A small line over months on its own scale, for the grid of one chart per
/// need: the shape of a small need's trend is lost on a shared axis.
struct SVGSparkline {
    var title: String
    var values: [Int]
    var color: String
    var width: Double = 200
    var height: Double = 56

    var svg: String {
        let top = 4.0, bottom = height - 4
        guard !values.isEmpty else { return SVG.empty(width: width, title: title) }
        let largest = Double(max(1, values.max() ?? 1))
        let step = values.count > 1 ? (width - 8) / Double(values.count - 1) : 0
        func x(_ index: Int) -> Double { values.count > 1 ? 4 + Double(index) * step : width / 2 }
        func y(_ value: Int) -> Double { bottom - (bottom - top) * Double(value) / largest }
        let points = values.indices.map { "\(SVG.n(x($0))),\(SVG.n(y(values[$0])))" }
        var out = SVG.open(width: width, height: height, title: title, className: "spark")
        out += "<line x1=\"4\" x2=\"\(SVG.n(width - 4))\" y1=\"\(SVG.n(bottom))\" y2=\"\(SVG.n(bottom))\" stroke=\"\(ReportPalette.grid)\"/>"
        if values.count > 1 {
            let area = "\(SVG.n(x(0))),\(SVG.n(bottom)) " + points.joined(separator: " ") + " \(SVG.n(x(values.count - 1))),\(SVG.n(bottom))"
            out += "<polygon points=\"\(area)\" fill=\"\(color)\" fill-opacity=\"0.14\"/>"
            out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
        }
        if let peak = values.indices.max(by: { values[$0] < values[$1] }) {
            out += "<circle cx=\"\(SVG.n(x(peak)))\" cy=\"\(SVG.n(y(values[peak])))\" r=\"3\" fill=\"\(color)\"/>"
        }
        return out + "</svg>"
    }
}
