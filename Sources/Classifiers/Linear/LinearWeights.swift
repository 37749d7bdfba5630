import Foundation

/// The weights of every output over a shared vocabulary of hashed features.
///
/// Feature-major (`weights[row * outputCount + output]`): scoring a text
/// walks its features once and adds one contiguous row per feature.
public struct LinearWeights: Sendable {
    /// Feature keys in ascending order; a key's position is its row.
    public let keys: [UInt64]
    public let outputCount: Int
    public let bias: [Float]
    /// The weights, each row on its own cache lines (`CacheAlignedRows`).
    private let matrix: CacheAlignedRows<Float>
    private let rowOfKey: FeatureIndex

    public init(keys: [UInt64], outputCount: Int, weights: [Float], bias: [Float]) {
        precondition(weights.count == keys.count * outputCount, "weights do not match the vocabulary")
        self.init(keys: keys, outputCount: outputCount, matrix: CacheAlignedRows(weights, width: outputCount), bias: bias)
    }

    init(keys: [UInt64], outputCount: Int, matrix: CacheAlignedRows<Float>, bias: [Float]) {
        precondition(matrix.count == keys.count * outputCount && matrix.width == outputCount && bias.count == outputCount,
                     "weights do not match the vocabulary")
        self.keys = keys
        self.outputCount = outputCount
        self.matrix = matrix
        self.bias = bias
        self.rowOfKey = FeatureIndex(keys: keys)
    }

    /// Every weight, feature-major (a copy: for saving and for tests).
    public var weights: [Float] { matrix.elements }

    /// How many weights the matrix holds (features × outputs).
    public var weightCount: Int { matrix.count }

    public var featureCount: Int { keys.count }

    /// How many rows (or keys) ahead of the one being read are asked for.
    static let prefetchDistance = 6

    @inline(__always)
    public func row(of key: UInt64) -> Int32? { rowOfKey.row(of: key) }

    /// The rows of a text's features (each counted once), and for each
    /// occurrence its row or -1 when the feature was never seen in training.
    public func rows(of occurrences: FeatureOccurrences) -> (distinct: [Int32], perOccurrence: [Int32]) {
        var perOccurrence = [Int32](repeating: -1, count: occurrences.count)
        var distinct: [Int32] = []
        distinct.reserveCapacity(occurrences.count)
        let keys = occurrences.keys
        for (index, key) in keys.enumerated() {
            if index &+ Self.prefetchDistance < keys.count { rowOfKey.prefetch(key: keys[index &+ Self.prefetchDistance]) }
            guard let row = rowOfKey.row(of: key) else { continue }
            perOccurrence[index] = row
            distinct.append(row)
        }
        // Sorting and dropping repeats is cheaper than hashing for a few hundred rows.
        Self.sortAscending(&distinct)
        var write = 0
        for read in distinct.indices where read == 0 || distinct[read] != distinct[read - 1] {
            distinct[write] = distinct[read]
            write += 1
        }
        distinct.removeLast(distinct.count - write)
        return (distinct, perOccurrence)
    }

    /// Sorts rows (never negative) in ascending order: a radix sort, a byte
    /// at a time, for the usual text's hundred or two rows (the comparison
    /// sort was 4 % of the whole analysis); the comparison sort for
    /// few rows or rows past 2^24. Either way the same order, which the
    /// scores are summed in.
    static func sortAscending(_ rows: inout [Int32]) {
        let count = rows.count
        guard count > 48 else { rows.sort(); return }
        var largest: Int32 = 0, smallest: Int32 = 0
        for row in rows {
            largest = max(largest, row)
            smallest = min(smallest, row)
        }
        guard smallest >= 0, largest < 1 << 24 else { rows.sort(); return }
        let passes = largest < 1 << 8 ? 1 : largest < 1 << 16 ? 2 : 3
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { scratch in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { starts in
                rows.withUnsafeMutableBufferPointer { values in
                    var source = values, target = scratch
                    for pass in 0..<passes {
                        let shift = Int32(pass * 8)
                        starts.initialize(repeating: 0)
                        for value in source { starts[Int((value >> shift) & 0xFF)] += 1 }
                        var total = 0
                        for bucket in 0..<256 {
                            let size = starts[bucket]
                            starts[bucket] = total
                            total += size
                        }
                        for value in source {
                            let bucket = Int((value >> shift) & 0xFF)
                            target[starts[bucket]] = value
                            starts[bucket] += 1
                        }
                        swap(&source, &target)
                    }
                    if passes % 2 == 1 {
                        for index in 0..<count { values[index] = scratch[index] }
                    }
                }
            }
        }
    }

    /// Raw scores (logits) of every output for a set of distinct rows, each
    /// feature with the value `featureScale` gives a text with that many rows.
    public func scores(rows: [Int32], lengthNormalization: Double = 0) -> [Float] {
        let scale = Self.featureScale(count: rows.count, exponent: lengthNormalization)
        var scores = [Float](repeating: 0, count: outputCount)
        scores.withUnsafeMutableBufferPointer { scores in
            Self.sum(rows: rows, of: matrix, into: scores)
            for output in 0..<outputCount { scores[output] = scores[output] * scale + bias[output] }
        }
        return scores
    }

    /// Adds up the given rows of `matrix` into `sums` (which start at zero),
    /// each column in the rows' order. Thirty-two columns at a time (the
    /// bundled layout's width) are held in four vector registers while the
    /// rows stream past, eight at a time after that, the rest one by one;
    /// the rows a few ahead are asked for before they are read. A text's
    /// rows lie scattered over tens of megabytes: a loop of a few
    /// instructions a row keeps many of them in flight where the
    /// column-by-column loop through memory kept a couple. Each column's sum
    /// is the same additions in the same order either way, so the scores are
    /// bit for bit the same.
    @inline(__always)
    static func sum(rows: [Int32], of matrix: CacheAlignedRows<Float>, into sums: UnsafeMutableBufferPointer<Float>) {
        let width = matrix.width
        let values = matrix.buffer
        guard let start = values.baseAddress, !rows.isEmpty else { return }
        let raw = UnsafeRawPointer(start)
        let stride = width &* 4
        let ahead = prefetchDistance
        var column = 0
        rows.withUnsafeBufferPointer { rows in
            while column + 32 <= width {
                var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
                for index in rows.indices {
                    if column == 0 && index &+ ahead < rows.count { matrix.prefetch(row: rows[index &+ ahead]) }
                    let offset = Int(rows[index]) &* stride &+ column &* 4
                    a += raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    b += raw.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
                    c += raw.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD8<Float>.self)
                    d += raw.loadUnaligned(fromByteOffset: offset &+ 96, as: SIMD8<Float>.self)
                }
                for lane in 0..<8 {
                    sums[column + lane] = a[lane]
                    sums[column + 8 + lane] = b[lane]
                    sums[column + 16 + lane] = c[lane]
                    sums[column + 24 + lane] = d[lane]
                }
                column += 32
            }
            while column + 8 <= width {
                var a = SIMD8<Float>()
                for row in rows { a += raw.loadUnaligned(fromByteOffset: Int(row) &* stride &+ column &* 4, as: SIMD8<Float>.self) }
                for lane in 0..<8 { sums[column + lane] = a[lane] }
                column += 8
            }
            for rest in column..<width {
                var total: Float = 0
                for row in rows { total += values[Int(row) &* width &+ rest] }
                sums[rest] = total
            }
        }
    }

    /// The feature value of a text with `count` distinct known features:
    /// `(32 / count)^exponent`, so long texts do not win by length alone
    /// (exponent 0: plain presence).
    public static func featureScale(count: Int, exponent: Double) -> Float {
        exponent == 0 ? 1 : Float(pow(32 / Double(max(count, 1)), exponent))
    }

    @inline(__always)
    public func weight(row: Int32, output: Int) -> Float {
        matrix[Int(row) * outputCount + output]
    }

    /// How much a feature supports one label of a softmax head: its weight
    /// for that label less the average of its weights for the head's other
    /// labels (what evidence for a sentiment or an intent is ranked by).
    @inline(__always)
    public func support(row: Int32, for chosen: Int, among head: Range<Int>) -> Double {
        let base = Int(row) * outputCount
        var total = 0.0
        for output in head { total += Double(matrix[base + output]) }
        let mine = Double(matrix[base + chosen])
        return mine - (total - mine) / Double(head.count - 1)
    }
}
