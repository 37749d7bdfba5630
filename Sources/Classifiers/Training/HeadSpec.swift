import Foundation
import Taxonomy

/// One model to fit: a multinomial head (sentiment, intent) over several
/// outputs, or a binary head (one need, one emotion) over one output.
struct HeadSpec: Sendable {
    enum Kind: Sendable {
        /// `label` is nil for lines that do not carry this head's label.
        case multinomial(label: @Sendable (TrainingExample) -> Int?, classes: Int)
        case binary(target: @Sendable (TrainingExample) -> Bool?, positiveWeight: Double)
    }

    let name: String
    let outputs: [Int]
    let kind: Kind

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
                                  kind: .binary(target: { $0.needs?.contains(need) }, positiveWeight: config.needPositiveWeight)))
        }
        for emotion in layout.emotions {
            heads.append(HeadSpec(name: "emotion:\(emotion.rawValue)", outputs: [layout.output(of: emotion)],
                                  kind: .binary(target: { $0.emotions?.contains(emotion) }, positiveWeight: config.emotionPositiveWeight)))
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

    /// Fits rows that all carry this head's label (see `subset`).
    func fit(_ rows: SparseRows, _ examples: [TrainingExample], l2: Double, optimizer: LBFGS) -> LogisticRegression.Fit {
        switch kind {
        case .multinomial(let label, let classes):
            return LogisticRegression.fitMultinomial(rows, labels: examples.map { label($0)! }, classes: classes, l2: l2,
                                                     optimizer: optimizer)
        case .binary(let target, let positiveWeight):
            return LogisticRegression.fitBinary(rows, targets: examples.map { target($0)! }, l2: l2,
                                                positiveWeight: positiveWeight, optimizer: optimizer)
        }
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
