import Foundation
import Taxonomy

/// Fits the hidden layer (`HiddenLayer`) on the training rows the linear
/// heads were fitted on: one network for sentiment, intent and every need at
/// once (a sentiment-only review line trains the sentiment output alone),
/// by mini-batch AdaGrad with dropout on the hidden units.
///
/// Deterministic: the initial weights, the order of the lines in each epoch
/// and the dropout masks come from one generator seeded by
/// `HiddenLayerConfig.seed`, and the fit runs on one thread.
struct HiddenLayerFitter {
    let config: HiddenLayerConfig
    let layout: OutputLayout
    /// Lines per update.
    static let batchSize = 32
    /// L2 on the embedding rows a batch touches.
    static let l2: Float = 1e-6
    /// Standard deviation of the initial weights.
    static let initialScale: Float = 0.05

    /// Sentiment, intent and needs: the first outputs of the layout; then
    /// the need gate when the layer feeds it.
    var outputCount: Int { config.outputCount(in: layout) }

    /// - Parameters:
    ///   - rows: the training lines' rows in the linear vocabulary `keys`.
    func fit(rows: SparseRows, examples: [TrainingExample], keys: [UInt64]) -> HiddenLayer {
        let units = config.units, k = outputCount
        // The layer's vocabulary: linear rows seen in enough training lines.
        var lineCount = [Int32](repeating: 0, count: keys.count)
        for line in 0..<rows.count { for column in rows.row(line) { lineCount[Int(column)] += 1 } }
        var embeddingRow = [Int32](repeating: -1, count: keys.count)
        var layerKeys: [UInt64] = []
        for column in keys.indices where Int(lineCount[column]) >= config.minFeatureCount {
            embeddingRow[column] = Int32(layerKeys.count)
            layerKeys.append(keys[column])
        }
        let lines: [[Int32]] = (0..<rows.count).map { line in rows.row(line).compactMap { embeddingRow[Int($0)] >= 0 ? embeddingRow[Int($0)] : nil } }
        let targets = examples.map { Targets($0, layout: layout) }

        var random = Xorshift64Star(seed: config.seed)
        var embeddings = (0..<(layerKeys.count * units)).map { _ in random.normal() * Self.initialScale }
        var hiddenBias = [Float](repeating: 0, count: units)
        var readout = (0..<(units * k)).map { _ in random.normal() * Self.initialScale }
        var outputBias = [Float](repeating: 0, count: k)

        // AdaGrad's sums of squared gradients, and the batch's gradients.
        var embeddingSquares = [Float](repeating: 1e-8, count: embeddings.count)
        var hiddenBiasSquares = [Float](repeating: 1e-8, count: units)
        var readoutSquares = [Float](repeating: 1e-8, count: readout.count)
        var outputBiasSquares = [Float](repeating: 1e-8, count: k)
        var embeddingGradient = [Float](repeating: 0, count: embeddings.count)
        var hiddenBiasGradient = [Float](repeating: 0, count: units)
        var readoutGradient = [Float](repeating: 0, count: readout.count)
        var outputBiasGradient = [Float](repeating: 0, count: k)
        var touchedInBatch = [Int](repeating: -1, count: layerKeys.count)
        var touched: [Int32] = []

        let keep = Float(1 - config.dropout)
        let rate = Float(config.learningRate)
        var preActivation = [Float](repeating: 0, count: units)
        var hidden = [Float](repeating: 0, count: units)
        var mask = [Float](repeating: 0, count: units)
        var outputGradient = [Float](repeating: 0, count: k)
        var hiddenGradient = [Float](repeating: 0, count: units)

        func adagrad(_ values: inout [Float], _ squares: inout [Float], _ gradient: inout [Float], at range: Range<Int>) {
            for index in range {
                let g = gradient[index]
                squares[index] += g * g
                values[index] -= rate * g / squares[index].squareRoot()
                gradient[index] = 0
            }
        }

        var order = Array(lines.indices)
        var batchNumber = 0
        for _ in 0..<config.epochs {
            order.shuffle(using: &random)
            for batchStart in stride(from: 0, to: order.count, by: Self.batchSize) {
                for line in order[batchStart..<min(batchStart + Self.batchSize, order.count)] {
                    let features = lines[line]
                    let scale = features.isEmpty ? 0 : 1 / Float(features.count).squareRoot()
                    // Forward, with dropout.
                    for unit in 0..<units { preActivation[unit] = 0 }
                    for row in features {
                        let base = Int(row) * units
                        for unit in 0..<units { preActivation[unit] += embeddings[base + unit] }
                    }
                    for unit in 0..<units {
                        preActivation[unit] = preActivation[unit] * scale + hiddenBias[unit]
                        mask[unit] = random.uniform() < keep ? 1 / keep : 0
                        hidden[unit] = max(preActivation[unit], 0) * mask[unit]
                    }
                    var logits = outputBias
                    for unit in 0..<units where hidden[unit] != 0 {
                        let base = unit * k
                        for output in 0..<k { logits[output] += hidden[unit] * readout[base + output] }
                    }
                    // The gradient of the log-loss at the logits.
                    targets[line].gradient(logits: logits, layout: layout, into: &outputGradient)
                    for unit in 0..<units {
                        let base = unit * k
                        var sum: Float = 0
                        for output in 0..<k {
                            readoutGradient[base + output] += hidden[unit] * outputGradient[output]
                            sum += readout[base + output] * outputGradient[output]
                        }
                        hiddenGradient[unit] = preActivation[unit] > 0 ? sum * mask[unit] : 0
                        hiddenBiasGradient[unit] += hiddenGradient[unit]
                    }
                    for output in 0..<k { outputBiasGradient[output] += outputGradient[output] }
                    for row in features {
                        if touchedInBatch[Int(row)] != batchNumber {
                            touchedInBatch[Int(row)] = batchNumber
                            touched.append(row)
                        }
                        let base = Int(row) * units
                        for unit in 0..<units { embeddingGradient[base + unit] += hiddenGradient[unit] * scale }
                    }
                }
                for row in touched {
                    let base = Int(row) * units
                    for index in base..<(base + units) { embeddingGradient[index] += Self.l2 * embeddings[index] }
                    adagrad(&embeddings, &embeddingSquares, &embeddingGradient, at: base..<(base + units))
                }
                touched.removeAll(keepingCapacity: true)
                adagrad(&hiddenBias, &hiddenBiasSquares, &hiddenBiasGradient, at: 0..<units)
                adagrad(&readout, &readoutSquares, &readoutGradient, at: 0..<readout.count)
                adagrad(&outputBias, &outputBiasSquares, &outputBiasGradient, at: 0..<k)
                batchNumber += 1
            }
        }
        return HiddenLayer(keys: layerKeys, units: units, outputCount: k, mix: Float(config.mix),
                           firstMixedOutput: layout.intentRange.lowerBound, rounding: embeddings,
                           hiddenBias: hiddenBias, readout: readout, outputBias: outputBias)
    }

    /// A line's labels in the layout's outputs; nil where the line does not carry them.
    struct Targets {
        let sentiment: Int
        let intent: Int?
        let needs: [Bool]?

        init(_ example: TrainingExample, layout: OutputLayout) {
            sentiment = layout.sentiments.firstIndex(of: example.sentiment)!
            intent = example.intent.flatMap { layout.intents.firstIndex(of: $0) }
            needs = example.needs.map { needs in layout.needs.map { needs.contains($0) } }
        }

        /// Softmax for sentiment and intent, a sigmoid for each need: the
        /// gradient is probability − target, and 0 for labels the line lacks.
        func gradient(logits: [Float], layout: OutputLayout, into gradient: inout [Float]) {
            func softmax(_ range: Range<Int>, target: Int?) {
                guard let target else {
                    for output in range { gradient[output] = 0 }
                    return
                }
                let largest = range.map { logits[$0] }.max()!
                var total: Float = 0
                for output in range { gradient[output] = exp(logits[output] - largest); total += gradient[output] }
                for output in range { gradient[output] /= total }
                gradient[range.lowerBound + target] -= 1
            }
            softmax(layout.sentimentRange, target: sentiment)
            softmax(layout.intentRange, target: intent)
            for (index, output) in layout.needRange.enumerated() {
                if let needs {
                    gradient[output] = 1 / (1 + exp(-logits[output])) - (needs[index] ? 1 : 0)
                } else {
                    gradient[output] = 0
                }
            }
            // The gate's output, when the layer has one: does the line state any need.
            let gate = layout.needRange.upperBound
            if gradient.count > gate {
                if let needs {
                    gradient[gate] = 1 / (1 + exp(-logits[gate])) - (needs.contains(true) ? 1 : 0)
                } else {
                    gradient[gate] = 0
                }
            }
        }
    }
}

/// Marsaglia's xorshift64* generator: small, fast and seeded, so a fit is
/// the same on every run.
struct Xorshift64Star: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x2545_f491_4f6c_dd1d : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_f491_4f6c_dd1d
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Float {
        let u = max(uniform(), 1e-7), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
