import Foundation
import Taxonomy

/// Fits the calibration on dev scores: a temperature per softmax head
/// (minimising dev log-loss), Platt scaling per binary output, and a
/// decision threshold per need and emotion that maximises F1 on dev
/// (for financial_hardship: the highest whose dev recall reaches
/// `hardshipRecallFloor` when one is set, else F-beta with `hardshipBeta`,
/// the highest within `hardshipThresholdTolerance` of its best), and the need gate's
/// threshold, chosen with the needs' thresholds for the best needs micro-F1.
struct CalibrationFitter {
    let config: TrainingConfig
    let layout: OutputLayout
    /// The configured threshold range in steps of 0.01 (searched by `threshold`
    /// for each need and emotion, and for the need gate).
    let thresholdGrid: [Double]
    /// financial_hardship's grid: from `hardshipThresholdFloor` when set.
    let hardshipThresholdGrid: [Double]

    init(config: TrainingConfig, layout: OutputLayout) {
        self.config = config
        self.layout = layout
        func grid(from low: Double) -> [Double] {
            var grid: [Double] = []
            var candidate = low
            while candidate <= config.thresholdRange.upperBound + 1e-9 {
                grid.append(candidate)
                candidate += 0.01
            }
            return grid
        }
        thresholdGrid = grid(from: config.thresholdRange.lowerBound)
        hardshipThresholdGrid = grid(from: config.hardshipThresholdFloor ?? config.thresholdRange.lowerBound)
    }

    func fit(scores: [[Float]], examples: [TrainingExample]) -> Calibration {
        var calibration = Calibration()
        calibration.sentimentTemperature = temperature(scores.map { Array($0[layout.sentimentRange]) },
                                                       labels: examples.map { layout.sentiments.firstIndex(of: $0.sentiment)! })
        let labelled = examples.indices.filter { examples[$0].isFullyLabelled }
        calibration.intentTemperature = temperature(labelled.map { Array(scores[$0][layout.intentRange]) },
                                                    labels: labelled.map { layout.intents.firstIndex(of: examples[$0].intent!)! })
        if config.sentimentOffsets {
            calibration.sentimentOffsets = sentimentOffsets(
                scores.map { Calibration.softmax($0[layout.sentimentRange], temperature: calibration.sentimentTemperature) },
                labels: examples.map { layout.sentiments.firstIndex(of: $0.sentiment)! })
        }
        fitNeeds(scores: scores, examples: examples, labelled: labelled, into: &calibration)
        for emotion in layout.emotions {
            let output = layout.output(of: emotion)
            let targets = labelled.map { examples[$0].emotions!.contains(emotion) }
            var binary = platt(labelled.map { Double(scores[$0][output]) }, targets: targets)
            binary.threshold = threshold(labelled.map { binary.probability(Double(scores[$0][output])) }, targets: targets, beta: 1,
                                         grid: thresholdGrid)
            calibration.emotions[emotion.rawValue] = binary
        }
        return calibration
    }

    /// Platt scaling for every need and for the need gate, then the gate's
    /// threshold and the needs' together: for each gate threshold of the
    /// configured range (and for no gate at all), every need gets the
    /// threshold that maximises its F-beta among the lines the gate lets
    /// through; the gate threshold kept is the highest whose needs micro-F1
    /// over all needs is within `needGateTolerance` of the best candidate's
    /// (no gate when none is).
    private func fitNeeds(scores: [[Float]], examples: [TrainingExample], labelled: [Int], into calibration: inout Calibration) {
        let needTargets = layout.needs.map { need in labelled.map { examples[$0].needs!.contains(need) } }
        var binaries = layout.needs.indices.map { index in
            platt(labelled.map { Double(scores[$0][layout.output(of: layout.needs[index])]) }, targets: needTargets[index])
        }
        let probabilities = layout.needs.indices.map { index in
            labelled.map { binaries[index].probability(Double(scores[$0][layout.output(of: layout.needs[index])])) }
        }
        let gateTargets = labelled.map { !examples[$0].needs!.isEmpty }
        var gate = platt(labelled.map { Double(scores[$0][layout.needGateOutput]) }, targets: gateTargets)
        let gateProbabilities = labelled.map { gate.probability(Double(scores[$0][layout.needGateOutput])) }

        func thresholds(gateThreshold: Double?) -> (thresholds: [Double], microF1: Double) {
            var tp = 0.0, fp = 0.0, fn = 0.0
            var chosen: [Double] = []
            for index in layout.needs.indices {
                let exempt = !Calibration.isGated(layout.needs[index])
                let gated = zip(probabilities[index], gateProbabilities).map { p, g in
                    exempt ? p : gateThreshold.map { g >= $0 ? p : 0 } ?? p
                }
                let t = threshold(for: layout.needs[index], gated, targets: needTargets[index])
                chosen.append(t)
                for (p, target) in zip(gated, needTargets[index]) {
                    if p >= t { if target { tp += 1 } else { fp += 1 } } else if target { fn += 1 }
                }
            }
            return (chosen, tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn))
        }

        // Every candidate: no gate, then each gate threshold of the range.
        var candidates: [(gate: Double?, fit: (thresholds: [Double], microF1: Double))] = [(nil, thresholds(gateThreshold: nil))]
        if gate != Calibration.Binary() {
            for candidate in thresholdGrid {
                let rounded = (candidate * 100).rounded() / 100
                candidates.append((rounded, thresholds(gateThreshold: rounded)))
            }
        }
        // The optimum is flat: the highest gate threshold within the tolerance
        // of the best micro-F1 (fewer false alarms for the same score); no
        // gate only when no gate threshold comes within it.
        let bestScore = candidates.map(\.fit.microF1).max()!
        let gated = candidates.lazy.filter { $0.gate != nil }
        let chosen = Self.highest(of: gated, within: config.needGateTolerance, of: bestScore, score: \.fit.microF1)
            ?? candidates[0]
        for index in layout.needs.indices {
            binaries[index].threshold = chosen.fit.thresholds[index]
            calibration.needs[layout.needs[index].rawValue] = binaries[index]
        }
        if let threshold = chosen.gate {
            gate.threshold = threshold
            calibration.needGate = gate
        }
    }

    /// Offsets for the positive and negative log-probabilities (neutral's is
    /// 0), each in [−1, 1] in steps of 0.05, with the best sentiment macro-F1
    /// on dev; of offsets that score alike, the smallest.
    func sentimentOffsets(_ probabilities: [[Double]], labels: [Int]) -> [String: Double] {
        let sentiments = layout.sentiments
        guard let positive = sentiments.firstIndex(of: .positive), let negative = sentiments.firstIndex(of: .negative) else { return [:] }
        func macroF1(_ offsets: [Double]) -> Double {
            var tp = [Double](repeating: 0, count: sentiments.count), predicted = tp, gold = tp
            for (row, label) in zip(probabilities, labels) {
                let best = Calibration.chooseSentiment(row, offsets: offsets)
                predicted[best] += 1
                gold[label] += 1
                if best == label { tp[label] += 1 }
            }
            let f1s = sentiments.indices.filter { gold[$0] > 0 }.map { c in tp[c] == 0 ? 0 : 2 * tp[c] / (predicted[c] + gold[c]) }
            return f1s.reduce(0, +) / Double(max(f1s.count, 1))
        }
        let steps = (-20...20).map { Double($0) * 0.05 }
        var best = [Double](repeating: 0, count: sentiments.count)
        var bestScore = macroF1(best)
        for p in steps {
            for n in steps {
                var offsets = [Double](repeating: 0, count: sentiments.count)
                offsets[positive] = p
                offsets[negative] = n
                let score = macroF1(offsets)
                let smaller = abs(p) + abs(n) < abs(best[positive]) + abs(best[negative])
                if score > bestScore + 1e-12 || (abs(score - bestScore) <= 1e-12 && smaller) {
                    best = offsets
                    bestScore = score
                }
            }
        }
        return [Sentiment.positive.rawValue: (best[positive] * 100).rounded() / 100,
                Sentiment.negative.rawValue: (best[negative] * 100).rounded() / 100]
    }

    /// The temperature in [0.05, 20] with the lowest log-loss (golden-section search on log T).
    func temperature(_ scores: [[Float]], labels: [Int]) -> Double {
        func loss(_ logT: Double) -> Double {
            let t = exp(logT)
            var total = 0.0
            for (row, label) in zip(scores, labels) {
                let scaled = row.map { Double($0) / t }
                let maximum = scaled.max()!
                let sum = scaled.reduce(0) { $0 + exp($1 - maximum) }
                total -= scaled[label] - maximum - log(sum)
            }
            return total
        }
        var low = log(0.05), high = log(20.0)
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<60 {
            let a = high - ratio * (high - low), b = low + ratio * (high - low)
            if loss(a) < loss(b) { high = b } else { low = a }
        }
        return ((exp((low + high) / 2)) * 10_000).rounded() / 10_000
    }

    /// Platt scaling with Platt's smoothed targets, fitted by Newton's method.
    func platt(_ scores: [Double], targets: [Bool]) -> Calibration.Binary {
        let positives = Double(targets.filter { $0 }.count)
        let negatives = Double(targets.count) - positives
        guard positives > 0, negatives > 0 else { return Calibration.Binary() }
        let high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2)
        let t = targets.map { $0 ? high : low }
        var a = 1.0, b = 0.0
        for _ in 0..<100 {
            var g1 = 0.0, g2 = 0.0, h11 = 1e-9, h22 = 1e-9, h12 = 0.0
            for (score, target) in zip(scores, t) {
                let p = 1 / (1 + exp(-(a * score + b)))
                let d = p - target, w = p * (1 - p)
                g1 += d * score; g2 += d
                h11 += w * score * score; h22 += w; h12 += w * score
            }
            let determinant = h11 * h22 - h12 * h12
            guard abs(determinant) > 1e-12 else { break }
            let da = (h22 * g1 - h12 * g2) / determinant
            let db = (h11 * g2 - h12 * g1) / determinant
            a -= da; b -= db
            if abs(da) < 1e-9 && abs(db) < 1e-9 { break }
        }
        // A negative slope would invert the model: keep the identity instead.
        if !(a > 0) || !a.isFinite || !b.isFinite { return Calibration.Binary() }
        return Calibration.Binary(a: a, b: b, threshold: 0.5)
    }

    /// The threshold of `grid` (`thresholdGrid`, or hardship's) with the best
    /// F-beta on dev; ties go to the value closest to 0.5. With a tolerance
    /// above 0, the highest threshold whose F-beta is within it of the best
    /// (a flat optimum otherwise lands anywhere on its plateau, and the
    /// higher end raises fewer false alarms for the same score).
    func threshold(_ probabilities: [Double], targets: [Bool], beta: Double, grid: [Double], tolerance: Double = 0) -> Double {
        guard targets.contains(true) else { return 0.5 }
        let b2 = beta * beta
        let scored = grid.map { candidate in
            var tp = 0.0, fp = 0.0, fn = 0.0
            for (p, target) in zip(probabilities, targets) {
                if p >= candidate { if target { tp += 1 } else { fp += 1 } } else if target { fn += 1 }
            }
            return (candidate: candidate, score: tp == 0 ? 0 : (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp))
        }
        var best = 0.5, bestScore = -1.0
        for (candidate, score) in scored {
            if score > bestScore + 1e-12 || (abs(score - bestScore) <= 1e-12 && abs(candidate - 0.5) < abs(best - 0.5)) {
                best = candidate
                bestScore = score
            }
        }
        if tolerance > 0, let highest = Self.highest(of: scored, within: tolerance, of: bestScore, score: \.score) {
            best = highest.candidate
        }
        return (best * 100).rounded() / 100
    }

    /// A need's threshold on its dev probabilities: the best F1 over the
    /// configured range, except financial_hardship's — the recall floor when
    /// one is set, else F-beta with its tolerance — searched over its own grid.
    func threshold(for need: Need, _ probabilities: [Double], targets: [Bool]) -> Double {
        guard need == .financialHardship else { return threshold(probabilities, targets: targets, beta: 1, grid: thresholdGrid) }
        if let floor = config.hardshipRecallFloor {
            return threshold(probabilities, targets: targets, recallAtLeast: floor, grid: hardshipThresholdGrid)
        }
        return threshold(probabilities, targets: targets, beta: config.hardshipBeta, grid: hardshipThresholdGrid,
                         tolerance: config.hardshipThresholdTolerance)
    }

    /// The highest threshold of `grid` (rising) whose recall on dev is at
    /// least `floor`; the grid's lowest when none reaches it (recall first).
    func threshold(_ probabilities: [Double], targets: [Bool], recallAtLeast floor: Double, grid: [Double]) -> Double {
        let positives = zip(probabilities, targets).filter { $0.1 }.map(\.0)
        guard !positives.isEmpty, let lowest = grid.first else { return 0.5 }
        let reaching = grid.last { candidate in
            Double(positives.filter { $0 >= candidate }.count) >= floor * Double(positives.count) - 1e-9
        }
        return ((reaching ?? lowest) * 100).rounded() / 100
    }

    /// The last of `candidates` (ordered by rising threshold) whose score is
    /// within `tolerance` of `best`: where the optimum is flat, its high end,
    /// which raises fewer false alarms for the same score.
    static func highest<Candidates: BidirectionalCollection>(
        of candidates: Candidates, within tolerance: Double, of best: Double, score: (Candidates.Element) -> Double
    ) -> Candidates.Element? {
        candidates.last { score($0) >= best - tolerance - 1e-12 }
    }
}
