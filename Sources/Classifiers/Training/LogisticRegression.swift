import Foundation

/// Rows of features: row `r` has the feature columns
/// `columns[rowStarts[r]..<rowStarts[r + 1]]`, each with value `scales[r]`
/// (presence, scaled down for texts with many features).
struct SparseRows: Sendable {
    var rowStarts: [Int] = [0]
    var columns: [Int32] = []
    var scales: [Double] = []
    let featureCount: Int

    init(featureCount: Int) {
        self.featureCount = featureCount
    }

    var count: Int { rowStarts.count - 1 }

    mutating func append(columns row: [Int32], scale: Double = 1) {
        columns.append(contentsOf: row)
        rowStarts.append(columns.count)
        scales.append(scale)
    }

    func row(_ index: Int) -> ArraySlice<Int32> {
        columns[rowStarts[index]..<rowStarts[index + 1]]
    }

    /// The three arrays as buffers, for inner loops.
    func withBuffers<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>) -> R) -> R {
        columns.withUnsafeBufferPointer { columns in
            rowStarts.withUnsafeBufferPointer { rowStarts in
                scales.withUnsafeBufferPointer { scales in body(columns, rowStarts, scales) }
            }
        }
    }
}

/// A multinomial head's training rows as buffers: the features of each row
/// (`columns[rowStarts[r]..<rowStarts[r + 1]]`, each of value `scales[r]`)
/// and its class.
struct MultinomialRows {
    let columns: UnsafeBufferPointer<Int32>
    let rowStarts: UnsafeBufferPointer<Int>
    let scales: UnsafeBufferPointer<Double>
    let labels: UnsafeBufferPointer<Int>
    let features: Int
    let classes: Int

    /// The summed negative log-likelihood of every row, whose gradient
    /// (unscaled) is added to `gradient`; `z` holds one row's scores.
    ///
    /// A feature's `classes` weights are read and its gradients added as one
    /// SIMD vector of the next width up (4 for sentiment's 3, 16 for intent's
    /// 14), a lane per class: each lane adds the same numbers in the same
    /// order as a loop over the classes would, so the sums are the same bit
    /// for bit. The lanes past `classes` read the next feature's weights
    /// (ignored) and add 0 to its gradients; a vector at most twice `classes`
    /// wide never reaches past the biases at the end of the buffers.
    func accumulate(theta: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
                    z: UnsafeMutableBufferPointer<Double>) -> Double {
        switch classes {
        case ...2: return accumulate(theta: theta, gradient: gradient, z: z, lanes: SIMD2<Double>.self)
        case ...4: return accumulate(theta: theta, gradient: gradient, z: z, lanes: SIMD4<Double>.self)
        case ...8: return accumulate(theta: theta, gradient: gradient, z: z, lanes: SIMD8<Double>.self)
        case ...16: return accumulate(theta: theta, gradient: gradient, z: z, lanes: SIMD16<Double>.self)
        default: return accumulateByClass(theta: theta, gradient: gradient, z: z)
        }
    }

    private func accumulate<Lanes: SIMD>(theta: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
                                         z: UnsafeMutableBufferPointer<Double>, lanes: Lanes.Type) -> Double
    where Lanes.Scalar == Double {
        let k = classes, biases = features * classes
        precondition(k <= Lanes.scalarCount && Lanes.scalarCount <= 2 * k && theta.count == biases + k && gradient.count == biases + k)
        let weights = UnsafeRawPointer(theta.baseAddress!), gradients = UnsafeMutableRawPointer(gradient.baseAddress!)
        let stride = MemoryLayout<Double>.stride
        var loss = 0.0
        for r in 0..<labels.count {
            let lower = rowStarts[r], upper = rowStarts[r + 1]
            let value = scales[r]
            var sum = Lanes()
            for j in lower..<upper {
                sum += weights.loadUnaligned(fromByteOffset: Int(columns[j]) * k * stride, as: Lanes.self)
            }
            for c in 0..<k { z[c] = sum[c] * value + theta[biases + c] }
            loss += softmaxGradient(z: z, label: labels[r], gradient: gradient, biases: biases)
            var step = Lanes()
            for c in 0..<k { step[c] = z[c] * value }
            for j in lower..<upper {
                let offset = Int(columns[j]) * k * stride
                let updated = gradients.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + step
                gradients.storeBytes(of: updated, toByteOffset: offset, as: Lanes.self)
            }
        }
        return loss
    }

    /// The same, a class at a time (more than 16 classes; and the reference
    /// the SIMD version is tested against).
    func accumulateByClass(theta: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
                           z: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = classes, biases = features * classes
        var loss = 0.0
        for r in 0..<labels.count {
            for c in 0..<k { z[c] = 0 }
            let lower = rowStarts[r], upper = rowStarts[r + 1]
            let value = scales[r]
            for j in lower..<upper {
                let base = Int(columns[j]) * k
                for c in 0..<k { z[c] += theta[base + c] }
            }
            for c in 0..<k { z[c] = z[c] * value + theta[biases + c] }
            loss += softmaxGradient(z: z, label: labels[r], gradient: gradient, biases: biases)
            for c in 0..<k { z[c] *= value }
            for j in lower..<upper {
                let base = Int(columns[j]) * k
                for c in 0..<k { gradient[base + c] += z[c] }
            }
        }
        return loss
    }

    /// One row's scores `z` (with biases) turned into its loss, `z` into the
    /// gradient of the loss by each score (softmax minus the one-hot label),
    /// added to the biases' gradients.
    private func softmaxGradient(z: UnsafeMutableBufferPointer<Double>, label: Int,
                                 gradient: UnsafeMutableBufferPointer<Double>, biases: Int) -> Double {
        let k = classes
        var maximum = z[0]
        for c in 1..<k where z[c] > maximum { maximum = z[c] }
        var sum = 0.0
        for c in 0..<k {
            z[c] = exp(z[c] - maximum)
            sum += z[c]
        }
        let loss = -log(max(z[label] / sum, 1e-300))
        for c in 0..<k { z[c] = z[c] / sum - (c == label ? 1 : 0) }
        for c in 0..<k { gradient[biases + c] += z[c] }
        return loss
    }
}

/// L2-regularised logistic regression fitted by L-BFGS: multinomial for
/// single-label heads (sentiment, intent), binary for each multi-label output
/// (each need, each emotion). Weights are feature-major: `weights[f * K + k]`.
enum LogisticRegression {
    struct Fit: Sendable {
        var weights: [Double]
        var bias: [Double]
        var iterations: Int
        var loss: Double

        /// Weights then biases, the optimiser's vector, to start another fit of
        /// the same shape from this one.
        func parameters(weights weightCount: Int, biases biasCount: Int) -> [Double] {
            precondition(weights.count == weightCount && bias.count == biasCount, "a start of another shape")
            return weights + bias
        }
    }

    /// Multinomial: `labels[r]` in `0..<classes`. The objective is the mean
    /// negative log-likelihood plus `l2 / 2 · Σ mᵢ wᵢ²`, with `mᵢ` from
    /// `penalty` (1 when nil: plain L2; biases are not penalised). `initial`
    /// (weights then biases, as `Fit` lays them out) starts the search from an
    /// earlier fit instead of zero weights and the log class frequencies.
    static func fitMultinomial(_ rows: SparseRows, labels: [Int], classes: Int, l2: Double,
                               penalty multipliers: [Double]? = nil, initial: Fit? = nil,
                               optimizer: LBFGS) -> Fit {
        let d = rows.featureCount, k = classes, n = rows.count
        let parameterCount = d * k + k
        let start = initial.map { $0.parameters(weights: d * k, biases: k) } ?? {
            // Zero weights, the biases at the log class frequencies.
            var start = [Double](repeating: 0, count: parameterCount)
            var counts = [Double](repeating: 1, count: k)
            for label in labels { counts[label] += 1 }
            let total = counts.reduce(0, +)
            for c in 0..<k { start[d * k + c] = log(counts[c] / total) }
            return start
        }()

        // The rows' arrays are read through buffer pointers taken once for the
        // whole fit: indexing Swift arrays in the inner loops (bounds and
        // exclusivity checks) made the intent head's fit most of the training
        // time. The arithmetic and its order are those of a plain loop.
        let result = rows.withBuffers { columns, rowStarts, scales in
            labels.withUnsafeBufferPointer { labels in
                let data = MultinomialRows(columns: columns, rowStarts: rowStarts, scales: scales, labels: labels,
                                           features: d, classes: k)
                let z = UnsafeMutableBufferPointer<Double>.allocate(capacity: k)
                defer { z.deallocate() }
                return optimizer.minimize(start) { theta, gradient in
                    theta.withUnsafeBufferPointer { theta in
                        gradient.withUnsafeMutableBufferPointer { gradient in
                            for i in 0..<parameterCount { gradient[i] = 0 }
                            var loss = data.accumulate(theta: theta, gradient: gradient, z: z)
                            let scale = 1 / Double(n)
                            var penalty = 0.0
                            if let multipliers {
                                multipliers.withUnsafeBufferPointer { m in
                                    for i in 0..<(d * k) {
                                        gradient[i] = gradient[i] * scale + l2 * m[i] * theta[i]
                                        penalty += m[i] * theta[i] * theta[i]
                                    }
                                }
                            } else {
                                for i in 0..<(d * k) {
                                    gradient[i] = gradient[i] * scale + l2 * theta[i]
                                    penalty += theta[i] * theta[i]
                                }
                            }
                            for i in (d * k)..<parameterCount { gradient[i] *= scale }
                            loss = loss * scale + 0.5 * l2 * penalty
                            return loss
                        }
                    }
                }
            }
        }
        return Fit(weights: Array(result.x[0..<(d * k)]), bias: Array(result.x[(d * k)...]),
                   iterations: result.iterations, loss: result.value)
    }

    /// Binary: `targets[r]` is 0 or 1; positives weigh `positiveWeight` times a negative.
    /// `penalty` scales the L2 term of each weight as in `fitMultinomial`;
    /// a negative weight's term is further multiplied by `negativeWeightPenalty`
    /// (the penalty stays continuous, with a continuous gradient, at 0).
    /// `initial` starts the search from an earlier fit, as in `fitMultinomial`.
    static func fitBinary(_ rows: SparseRows, targets: [Bool], l2: Double, positiveWeight: Double,
                          penalty multipliers: [Double]? = nil, negativeWeightPenalty: Double = 1,
                          initial: Fit? = nil, optimizer: LBFGS) -> Fit {
        let d = rows.featureCount, n = rows.count
        let positives = Double(targets.filter { $0 }.count)
        let totalWeight = positives * positiveWeight + (Double(n) - positives)
        let start = initial.map { $0.parameters(weights: d, biases: 1) } ?? {
            // Zero weights, the bias at the weighted log-odds of a positive.
            var start = [Double](repeating: 0, count: d + 1)
            start[d] = log((positives * positiveWeight + 1) / (Double(n) - positives + 1))
            return start
        }()

        let result = optimizer.minimize(start) { theta, gradient in
            for i in 0...d { gradient[i] = 0 }
            var loss = 0.0
            theta.withUnsafeBufferPointer { theta in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    rows.columns.withUnsafeBufferPointer { columns in
                        for r in 0..<n {
                            var z = 0.0
                            let lower = rows.rowStarts[r], upper = rows.rowStarts[r + 1]
                            let value = rows.scales[r]
                            for j in lower..<upper { z += theta[Int(columns[j])] }
                            z = z * value + theta[d]
                            let positive = targets[r]
                            let weight = positive ? positiveWeight : 1
                            // log(1 + e^-z) for positives, log(1 + e^z) for negatives, stably.
                            let margin = positive ? z : -z
                            loss += weight * (margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin)))
                            let p = 1 / (1 + exp(-z))
                            let g = weight * (p - (positive ? 1 : 0))
                            for j in lower..<upper { gradient[Int(columns[j])] += g * value }
                            gradient[d] += g
                        }
                        let scale = 1 / totalWeight
                        var penalty = 0.0
                        for i in 0..<d {
                            var m = multipliers?[i] ?? 1
                            if theta[i] < 0 { m *= negativeWeightPenalty }
                            gradient[i] = gradient[i] * scale + l2 * m * theta[i]
                            penalty += m * theta[i] * theta[i]
                        }
                        gradient[d] *= scale
                        loss = loss * scale + 0.5 * l2 * penalty
                    }
                }
            }
            return loss
        }
        return Fit(weights: Array(result.x[0..<d]), bias: [result.x[d]], iterations: result.iterations, loss: result.value)
    }
}
