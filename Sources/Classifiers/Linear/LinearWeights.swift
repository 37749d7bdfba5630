/// The weights of every output over a shared vocabulary of hashed features.
///
/// Feature-major (`weights[row * outputCount + output]`): scoring a text
/// walks its features once and adds one contiguous row per feature.
public struct LinearWeights: Sendable {
    /// Feature keys in ascending order; a key's position is its row.
    public let keys: [UInt64]
    public let outputCount: Int
    public let weights: [Float]
    public let bias: [Float]
    private let rowOfKey: [UInt64: Int32]

    public init(keys: [UInt64], outputCount: Int, weights: [Float], bias: [Float]) {
        precondition(weights.count == keys.count * outputCount && bias.count == outputCount, "weights do not match the vocabulary")
        self.keys = keys
        self.outputCount = outputCount
        self.weights = weights
        self.bias = bias
        var rows = [UInt64: Int32](minimumCapacity: keys.count)
        for (row, key) in keys.enumerated() { rows[key] = Int32(row) }
        self.rowOfKey = rows
    }

    public var featureCount: Int { keys.count }

    @inline(__always)
    public func row(of key: UInt64) -> Int32? { rowOfKey[key] }

    /// The rows of a text's features (each counted once), and for each
    /// occurrence its row or -1 when the feature was never seen in training.
    public func rows(of occurrences: FeatureOccurrences) -> (distinct: [Int32], perOccurrence: [Int32]) {
        var perOccurrence = [Int32](repeating: -1, count: occurrences.count)
        var distinct: [Int32] = []
        distinct.reserveCapacity(occurrences.count)
        var seen = Set<Int32>(minimumCapacity: occurrences.count)
        for (index, key) in occurrences.keys.enumerated() {
            guard let row = rowOfKey[key] else { continue }
            perOccurrence[index] = row
            if seen.insert(row).inserted { distinct.append(row) }
        }
        return (distinct, perOccurrence)
    }

    /// Raw scores (logits) of every output for a set of distinct rows.
    public func scores(rows: [Int32]) -> [Float] {
        var scores = bias
        weights.withUnsafeBufferPointer { weights in
            scores.withUnsafeMutableBufferPointer { scores in
                for row in rows {
                    let base = Int(row) * outputCount
                    for output in 0..<outputCount { scores[output] += weights[base + output] }
                }
            }
        }
        return scores
    }

    @inline(__always)
    public func weight(row: Int32, output: Int) -> Float {
        weights[Int(row) * outputCount + output]
    }
}
