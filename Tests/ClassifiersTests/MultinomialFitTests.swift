import Foundation
import Testing

@testable import Classifiers

/// The multinomial fit scores its rows in two fixed halves, the second on a
/// thread of its own (`RowHalves`): both halves count, the cut depends on the
/// row count alone, and the fit is deterministic.
@Suite struct MultinomialFitTests {
    @Test func halves_areFixedByTheRowCount() {
        #expect(RowHalves(count: 100).ranges == [0..<100])
        #expect(RowHalves(count: 2047).ranges == [0..<2047])
        #expect(RowHalves(count: 5001).ranges == [0..<2500, 2500..<5001])
    }

    @Test func sum_addsBothHalves_eachRunOnce() {
        let halves = RowHalves(count: 4000)
        nonisolated(unsafe) let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        seen.initialize(repeating: 0)
        defer { seen.deallocate() }
        let total = halves.sum { half, range in
            seen[half] += 1
            return Double(range.count) * (half == 0 ? 1 : 1000)
        }
        #expect(total == 2000 + 2_000_000)
        #expect(Array(seen) == [1, 1])
    }

    /// `distinct` rows of a few features each over `features` columns, with
    /// labels that depend on them (a seeded generator; not text).
    static func rows(distinct: Int, copies: Int, features: Int = 40, classes: Int = 4) -> (SparseRows, [Int]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var rows = SparseRows(featureCount: features)
        var labels: [Int] = []
        for _ in 0..<distinct {
            let columns = Array(Set((0..<3).map { _ in Int32(next() % features) })).sorted()
            let label = (Int(columns[0]) + next() % 2) % classes
            // Each distinct row `copies` times in a row, so both halves hold different rows.
            for _ in 0..<copies {
                rows.append(columns: columns)
                labels.append(label)
            }
        }
        return (rows, labels)
    }

    @Test func fitOverTwoHalves_equalsTheFitOfTheDistinctRows_andIsDeterministic() {
        // Run to a tight tolerance: both fits then sit at the optimum, not where a looser stop left each.
        let optimizer = LBFGS(maxIterations: 3000, tolerance: 1e-14)
        let (once, onceLabels) = Self.rows(distinct: 1500, copies: 1)
        let (twice, twiceLabels) = Self.rows(distinct: 1500, copies: 2)
        #expect(RowHalves(count: once.count).count == 1 && RowHalves(count: twice.count).count == 2)
        let single = LogisticRegression.fitMultinomial(once, labels: onceLabels, classes: 4, l2: 1e-3, optimizer: optimizer)
        // Every row twice: the same mean log-likelihood, so the same optimum, reached with both halves summed.
        let halved = LogisticRegression.fitMultinomial(twice, labels: twiceLabels, classes: 4, l2: 1e-3, optimizer: optimizer)
        #expect(abs(single.loss - halved.loss) < 1e-9 * single.loss, "\(single.loss) against \(halved.loss)")
        let largest = zip(single.weights, halved.weights).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-4, "largest weight difference \(largest)")

        let again = LogisticRegression.fitMultinomial(twice, labels: twiceLabels, classes: 4, l2: 1e-3, optimizer: optimizer)
        #expect(again.weights == halved.weights && again.bias == halved.bias)
    }
}
