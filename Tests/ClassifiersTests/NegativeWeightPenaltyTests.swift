import Foundation
import Testing
import Taxonomy
@testable import Classifiers

/// `need_negative_weight_penalty`: in the need heads, a negative weight costs
/// more L2 than a positive one, so the words of an unrelated errand pull a
/// need's score down less when the need shows only in passing.
@Suite struct NegativeWeightPenaltyTests {
    /// Feature 0 is the need's cue (失业), feature 1 an errand's word (密码) that
    /// comes mostly on lines without the need, feature 2 is on every line.
    static func rows() -> (SparseRows, [Bool]) {
        var rows = SparseRows(featureCount: 3)
        var targets: [Bool] = []
        for _ in 0..<40 { rows.append(columns: [1, 2]); targets.append(false) }
        for _ in 0..<20 { rows.append(columns: [2]); targets.append(false) }
        for _ in 0..<20 { rows.append(columns: [0, 2]); targets.append(true) }
        for _ in 0..<2 { rows.append(columns: [0, 1, 2]); targets.append(true) }
        for _ in 0..<2 { rows.append(columns: [0, 1, 2]); targets.append(false) }
        return (rows, targets)
    }

    static func score(_ fit: LogisticRegression.Fit, _ columns: [Int]) -> Double {
        columns.reduce(fit.bias[0]) { $0 + fit.weights[$1] }
    }

    @Test func penalty_shrinksNegativeWeightsOnly() {
        let (rows, targets) = Self.rows()
        let plain = LogisticRegression.fitBinary(rows, targets: targets, l2: 3e-2, positiveWeight: 1, optimizer: LBFGS())
        let same = LogisticRegression.fitBinary(rows, targets: targets, l2: 3e-2, positiveWeight: 1,
                                                negativeWeightPenalty: 1, optimizer: LBFGS())
        let penalised = LogisticRegression.fitBinary(rows, targets: targets, l2: 3e-2, positiveWeight: 1,
                                                     negativeWeightPenalty: 20, optimizer: LBFGS())
        #expect(same.weights == plain.weights)
        // The errand's word is against the need in both fits, less so when negative weights cost more.
        #expect(plain.weights[1] < 0)
        #expect(penalised.weights[1] < 0)
        #expect(penalised.weights[1] > plain.weights[1] / 2)
        // The cue still decides, and a line with both the cue and the errand scores higher.
        #expect(penalised.weights[0] > 1)
        #expect(Self.score(penalised, [0, 1, 2]) > Self.score(plain, [0, 1, 2]))
    }

    @Test func penalty_appliesToNeedHeadsAlone() {
        var config = TrainingConfig()
        config.needNegativeWeightPenalty = 8
        for head in HeadSpec.all(layout: OutputLayout(), config: config) {
            #expect(head.negativeWeightPenalty == (head.name.hasPrefix("need:") ? 8 : 1), "\(head.name)")
        }
        for head in HeadSpec.all(layout: OutputLayout(), config: TrainingConfig()) {
            #expect(head.negativeWeightPenalty == 1)
        }
    }
}
