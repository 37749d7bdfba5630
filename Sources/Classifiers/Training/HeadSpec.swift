import Foundation
import Taxonomy

/// One model to fit: a multinomial head (sentiment, intent) over several
/// outputs, or a binary head (one need, one emotion) over one output.
struct HeadSpec: Sendable {
    enum Kind: Sendable {
        /// `label` is nil for lines that do not carry this head's label.
        case multinomial(label: @Sendable (TrainingExample) -> Int?, classes: Int)
        case binary(target: @Sendable (TrainingExample) -> Bool?, positiveWeight: Double)

        var isMultinomial: Bool { if case .multinomial = self { true } else { false } }
    }

    let name: String
    let outputs: [Int]
    let kind: Kind
    /// See `TrainingConfig.nbStrength` and `binaryNBStrength`.
    var nbStrength: Double = 0
    /// See `TrainingConfig.needNegativeWeightPenalty`; 1 for every head but the needs.
    var negativeWeightPenalty: Double = 1

    static func all(layout: OutputLayout, config: TrainingConfig) -> [HeadSpec] {
        let sentiments = layout.sentiments, intents = layout.intents
        var heads = [
            HeadSpec(name: "sentiment", outputs: Array(layout.sentimentRange),
                     kind: .multinomial(label: { sentiments.firstIndex(of: $0.sentiment)! }, classes: sentiments.count)),
            HeadSpec(name: "intent", outputs: Array(layout.intentRange),
                     kind: .multinomial(label: { $0.intent.flatMap { intents.firstIndex(of: $0) } }, classes: intents.count)),
        ]
        for need in layout.needs {
            heads.append(HeadSpec(name: "need:\(need.rawValue)", outputs: [layout.output(of: need)],
                                  kind: .binary(target: { $0.needs?.contains(need) }, positiveWeight: config.needPositiveWeight),
                                  negativeWeightPenalty: config.needNegativeWeightPenalty ?? 1))
        }
        for emotion in layout.emotions {
            heads.append(HeadSpec(name: "emotion:\(emotion.rawValue)", outputs: [layout.output(of: emotion)],
                                  kind: .binary(target: { $0.emotions?.contains(emotion) }, positiveWeight: config.emotionPositiveWeight)))
        }
        heads.append(HeadSpec(name: "need_gate", outputs: [layout.needGateOutput],
                              kind: .binary(target: { $0.needs.map { !$0.isEmpty } }, positiveWeight: 1)))
        for index in heads.indices {
            heads[index].nbStrength = heads[index].kind.isMultinomial ? config.nbStrength : config.binaryNBStrength
        }
        return heads
    }

    /// Whether an example carries this head's label.
    func applies(to example: TrainingExample) -> Bool {
        switch kind {
        case .multinomial(let label, _): label(example) != nil
        case .binary(let target, _): target(example) != nil
        }
    }

    /// The rows and examples that carry this head's label.
    func subset(_ rows: SparseRows, _ examples: [TrainingExample]) -> (rows: SparseRows, examples: [TrainingExample]) {
        if examples.allSatisfy(applies) { return (rows, examples) }
        var kept = SparseRows(featureCount: rows.featureCount)
        var keptExamples: [TrainingExample] = []
        for (index, example) in examples.enumerated() where applies(to: example) {
            kept.append(columns: Array(rows.row(index)), scale: rows.scales[index])
            keptExamples.append(example)
        }
        return (kept, keptExamples)
    }

    /// The L2 multipliers of this head on its training rows (nil: plain L2),
    /// computed once a head and shared by every L2 strength it tries.
    func penalty(_ rows: SparseRows, _ examples: [TrainingExample]) -> [Double]? {
        switch kind {
        case .multinomial(let label, let classes):
            return Self.nbPenalty(rows, labels: examples.map { label($0)! }, classes: classes, strength: nbStrength)
        case .binary(let target, _):
            return Self.nbPenalty(rows, labels: examples.map { target($0)! ? 0 : 1 }, classes: 1, strength: nbStrength)
        }
    }

    /// Fits rows that all carry this head's label (see `subset`), with the
    /// head's `penalty` for those rows, from `initial` when given.
    func fit(_ rows: SparseRows, _ examples: [TrainingExample], l2: Double, penalty: [Double]?,
             initial: LogisticRegression.Fit? = nil, optimizer: LBFGS) -> LogisticRegression.Fit {
        switch kind {
        case .multinomial(let label, let classes):
            return LogisticRegression.fitMultinomial(rows, labels: examples.map { label($0)! }, classes: classes, l2: l2,
                                                     penalty: penalty, initial: initial, optimizer: optimizer)
        case .binary(let target, let positiveWeight):
            return LogisticRegression.fitBinary(rows, targets: examples.map { target($0)! }, l2: l2, positiveWeight: positiveWeight,
                                                penalty: penalty, negativeWeightPenalty: negativeWeightPenalty,
                                                initial: initial, optimizer: optimizer)
        }
    }

    /// L2 multipliers from naive-Bayes log-count ratios (Wang & Manning's
    /// NB-LR as a penalty): for feature f and class c,
    /// `r = log((1 + n_fc) / (d + N_c)) − log((1 + n_f¬c) / (d + N_¬c))` over
    /// the training lines' feature presences; `|r|` divided by its mean over
    /// the features (floored at 0.25) to the power −2·strength multiplies the
    /// penalty of `w_fc`. Feature-major like the weights (`[f * classes + c]`);
    /// nil when `strength` is 0. `classes` is 1 for a binary head (label 0 =
    /// positive, 1 = negative).
    static func nbPenalty(_ rows: SparseRows, labels: [Int], classes: Int, strength: Double) -> [Double]? {
        guard strength > 0 else { return nil }
        let d = rows.featureCount
        let counted = max(classes, 2)
        var counts = [Double](repeating: 0, count: d * counted)
        var totals = [Double](repeating: 0, count: counted)
        for r in 0..<rows.count {
            let label = labels[r]
            for column in rows.row(r) { counts[Int(column) * counted + label] += 1 }
            totals[label] += Double(rows.row(r).count)
        }
        let grandTotal = totals.reduce(0, +)
        // Lines with each feature, over every class (the same for every c below).
        let featureTotals = (0..<d).map { f in (0..<counted).reduce(0.0) { $0 + counts[f * counted + $1] } }
        var ratios = [Double](repeating: 0, count: d * classes)
        for c in 0..<classes {
            let inClass = totals[c], outClass = grandTotal - totals[c]
            var sum = 0.0
            for f in 0..<d {
                let n = counts[f * counted + c]
                let r = abs(log((1 + n) / (Double(d) + inClass)) - log((1 + featureTotals[f] - n) / (Double(d) + outClass)))
                ratios[f * classes + c] = r
                sum += r
            }
            let mean = max(sum / Double(max(d, 1)), 1e-12)
            for f in 0..<d {
                let s = max(ratios[f * classes + c] / mean, 0.25)
                ratios[f * classes + c] = pow(s, -2 * strength)
            }
        }
        return ratios
    }

    /// Mean log-loss of a fit on other rows (the dev split, subset like `fit`'s).
    func loss(_ fit: LogisticRegression.Fit, _ rows: SparseRows, _ examples: [TrainingExample]) -> Double {
        let k = fit.bias.count
        var total = 0.0
        for r in 0..<rows.count {
            var z = [Double](repeating: 0, count: k)
            for column in rows.row(r) {
                let base = Int(column) * k
                for c in 0..<k { z[c] += fit.weights[base + c] }
            }
            for c in 0..<k { z[c] = z[c] * rows.scales[r] + fit.bias[c] }
            switch kind {
            case .multinomial(let label, _):
                let maximum = z.max()!
                let sum = z.reduce(0) { $0 + exp($1 - maximum) }
                total -= (z[label(examples[r])!] - maximum) - log(sum)
            case .binary(let target, _):
                let margin = target(examples[r])! ? z[0] : -z[0]
                total += margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
            }
        }
        return total / Double(max(rows.count, 1))
    }
}
