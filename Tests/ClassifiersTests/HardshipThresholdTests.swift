import Foundation
import Testing
import Taxonomy
@testable import Classifiers

/// financial_hardship's threshold is searched from `hardship_threshold_floor`
/// when it is set, below the range every other need is held to.
@Suite struct HardshipThresholdTests {
    static let layout = OutputLayout()

    /// Dev lines where half of the hardship lines score high and the other
    /// half share a middling score with many lines without it, so that their
    /// calibrated probability is below 0.2: F2 then prefers a threshold
    /// under them (all ten found, thirty false alarms) to one above them
    /// (five found, five missed).
    static func devLines() -> (scores: [[Float]], examples: [TrainingExample]) {
        var scores: [[Float]] = []
        var examples: [TrainingExample] = []
        func add(_ count: Int, score: Float, hardship: Bool) {
            for _ in 0..<count {
                var row = [Float](repeating: -4, count: layout.outputCount)
                row[layout.output(of: Need.financialHardship)] = score
                scores.append(row)
                examples.append(NeedGateTests.example("h-\(examples.count)", needs: hardship ? [.financialHardship] : []))
            }
        }
        add(5, score: 3, hardship: true)
        add(5, score: -1, hardship: true)
        add(30, score: -1, hardship: false)
        add(60, score: -4, hardship: false)
        return (scores, examples)
    }

    @Test func floor_letsHardshipAloneGoBelowTheRange() throws {
        let (scores, examples) = Self.devLines()
        let middling = scores[5]
        let plain = CalibrationFitter(config: TrainingConfig(), layout: Self.layout).fit(scores: scores, examples: examples)
        var lowered = TrainingConfig()
        lowered.hardshipThresholdFloor = 0.05
        let floored = CalibrationFitter(config: lowered, layout: Self.layout).fit(scores: scores, examples: examples)

        let plainHardship = try #require(plain.needs[Need.financialHardship.rawValue])
        let flooredHardship = try #require(floored.needs[Need.financialHardship.rawValue])
        let probability = flooredHardship.probability(Double(middling[Self.layout.output(of: Need.financialHardship)]))
        #expect(probability < 0.2)
        // Held to the range, the middling lines stay below the threshold; with the floor they pass it.
        #expect(plainHardship.threshold >= 0.2)
        #expect(plainHardship.probability(Double(middling[Self.layout.output(of: Need.financialHardship)])) < plainHardship.threshold)
        #expect(flooredHardship.threshold < 0.2)
        #expect(probability >= flooredHardship.threshold)
        // Every other need keeps its thresholds.
        for need in Need.allCases where need != .financialHardship {
            #expect(plain.needs[need.rawValue]?.threshold == floored.needs[need.rawValue]?.threshold)
        }
    }

    /// A flat F2 optimum: eleven hardship lines found at 0.1 with three false
    /// alarms (F2 55/58 ≈ 0.948), ten found with none from 0.2 up (F2 50/54 ≈
    /// 0.926). The plain search takes 0.1; a tolerance wide enough to cover
    /// the gap takes the highest threshold of the plateau.
    @Test func tolerance_takesTheHighestThresholdNearTheBest() {
        let probabilities = [Double](repeating: 0.9, count: 10) + [0.15] + [Double](repeating: 0.15, count: 3)
            + [Double](repeating: 0.01, count: 50)
        let targets = [Bool](repeating: true, count: 11) + [Bool](repeating: false, count: 53)
        let fitter = CalibrationFitter(config: TrainingConfig(), layout: Self.layout)
        let grid = [0.1, 0.2, 0.3, 0.4, 0.5]
        #expect(fitter.threshold(probabilities, targets: targets, beta: 2, grid: grid) == 0.1)
        #expect(fitter.threshold(probabilities, targets: targets, beta: 2, grid: grid, tolerance: 0.01) == 0.1)
        #expect(fitter.threshold(probabilities, targets: targets, beta: 2, grid: grid, tolerance: 0.03) == 0.5)
    }

    /// A recall floor takes the highest threshold that still finds the share
    /// of dev hardship lines it asks for, wherever F2 peaks; when no threshold
    /// of the grid reaches it, the grid's lowest.
    @Test func recallFloor_takesTheHighestThresholdKeepingTheRecall() {
        // Ten hardship lines at 0.9, 0.6, 0.45, 0.35, 0.25 and five at 0.12;
        // forty lines without it at 0.3 and below.
        let probabilities = [0.9, 0.6, 0.45, 0.35, 0.25] + [Double](repeating: 0.12, count: 5)
            + [Double](repeating: 0.3, count: 10) + [Double](repeating: 0.05, count: 30)
        let targets = [Bool](repeating: true, count: 10) + [Bool](repeating: false, count: 40)
        let fitter = CalibrationFitter(config: TrainingConfig(), layout: Self.layout)
        let grid = [0.1, 0.2, 0.3, 0.4, 0.5]
        #expect(fitter.threshold(probabilities, targets: targets, recallAtLeast: 0.5, grid: grid) == 0.2)
        #expect(fitter.threshold(probabilities, targets: targets, recallAtLeast: 0.4, grid: grid) == 0.3)
        #expect(fitter.threshold(probabilities, targets: targets, recallAtLeast: 0.2, grid: grid) == 0.5)
        #expect(fitter.threshold(probabilities, targets: targets, recallAtLeast: 1.0, grid: grid) == 0.1)
        #expect(fitter.threshold(probabilities, targets: targets, recallAtLeast: 1.0, grid: [0.2, 0.3]) == 0.2)
    }

    /// Set in the training config, the floor decides financial_hardship's
    /// threshold in place of F2 and its tolerance, and no other need's.
    @Test func recallFloor_replacesFBetaForHardshipOnly() throws {
        let (scores, examples) = Self.devLines()
        var base = TrainingConfig()
        base.hardshipThresholdFloor = 0.05
        var floored = base
        floored.hardshipRecallFloor = 0.5
        let plain = CalibrationFitter(config: base, layout: Self.layout).fit(scores: scores, examples: examples)
        let withFloor = CalibrationFitter(config: floored, layout: Self.layout).fit(scores: scores, examples: examples)
        let plainHardship = try #require(plain.needs[Need.financialHardship.rawValue])
        let flooredHardship = try #require(withFloor.needs[Need.financialHardship.rawValue])
        let output = Self.layout.output(of: Need.financialHardship)
        // F2 lets the middling lines through; half the recall keeps only the five high ones.
        #expect(plainHardship.probability(Double(scores[5][output])) >= plainHardship.threshold)
        #expect(flooredHardship.probability(Double(scores[5][output])) < flooredHardship.threshold)
        #expect(flooredHardship.probability(Double(scores[0][output])) >= flooredHardship.threshold)
        for need in Need.allCases where need != .financialHardship {
            #expect(plain.needs[need.rawValue]?.threshold == withFloor.needs[need.rawValue]?.threshold)
        }
    }
}
