import Testing
@testable import Classifiers

@Suite struct FeatureIndexTests {
    @Test func findsEveryKeyAndNothingElse() {
        var keys: [UInt64] = [0]
        var state: UInt64 = 0x1234_5678
        for _ in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            keys.append(state)
        }
        keys = Array(Set(keys)).sorted()
        let index = FeatureIndex(keys: keys)
        for (row, key) in keys.enumerated() { #expect(index.row(of: key) == Int32(row)) }
        #expect(index.row(of: 42) == nil)
        #expect(FeatureIndex(keys: [7]).row(of: 0) == nil)
    }

    /// The rows of a text are summed in ascending order, so the radix sort
    /// must give exactly the comparison sort's order, whatever the sizes.
    @Test func rowsSortAscendingAsTheComparisonSortDoes() {
        var state: UInt64 = 99
        func next(below bound: Int32) -> Int32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32(truncatingIfNeeded: state >> 33) % bound
        }
        for (count, bound) in [(0, 10), (1, 10), (48, 300_000), (49, 300_000), (200, 200), (150, 60_000), (300, 300_000),
                               (500, 1 << 24), (120, Int32.max)] {
            var rows = (0..<count).map { _ in next(below: bound) }
            rows += rows.prefix(count / 5)  // repeats, as texts have
            let expected = rows.sorted()
            LinearWeights.sortAscending(&rows)
            #expect(rows == expected, "\(count) rows below \(bound)")
        }
        var withNegative: [Int32] = (0..<100).map { Int32($0 * 7 % 101) } + [-1]
        LinearWeights.sortAscending(&withNegative)
        #expect(withNegative.first == -1 && withNegative == withNegative.sorted())
    }
}
