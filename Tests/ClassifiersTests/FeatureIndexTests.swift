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
}
