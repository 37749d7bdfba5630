/// What every benchmark shares: warm up each stage once, then alternate
/// timed passes of all stages and keep each stage's best time (the least
/// disturbed by the rest of the machine).
enum BenchTiming {
    static func bestSeconds(_ stages: [() -> Void], rounds: Int) -> [Double] {
        for stage in stages { stage() }
        var best = [Double](repeating: .infinity, count: stages.count)
        for _ in 0..<rounds {
            for (index, stage) in stages.enumerated() {
                best[index] = min(best[index], ContinuousClock().measure { stage() } / .seconds(1))
            }
        }
        return best
    }

    /// Left-aligns a table cell.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
