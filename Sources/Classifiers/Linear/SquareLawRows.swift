/// The linear weights as scoring reads them, when every weight is a level of
/// the weight file's square-law code (`WeightFile`): weight c of output k is
/// worth sign(c)·c²·(scale_k / 127²), so ±c² is kept as an `Int16`, a row's
/// outputs padded to a multiple of sixteen and every row starting a cache
/// line. A text's rows are summed as integers, exactly, and each sum is
/// scaled once. A row of 31 outputs is one cache line here against two or
/// three as `Float`s, and a text reads a few hundred rows scattered over the
/// table.
final class SquareLawRows: @unchecked Sendable {  // immutable after init; the buffer is freed in deinit
    /// Outputs per row in the buffer (the output count rounded up to 16).
    let stride: Int
    let outputCount: Int
    /// scale_k / 127² for each output.
    let factors: [Float]
    private let squares: UnsafeMutablePointer<Int16>
    private let rowCount: Int

    /// Codes feature-major (`codes[row * outputCount + output]`), one scale per output.
    init(codes: [Int8], outputCount: Int, scales: [Float]) {
        precondition(outputCount > 0 && codes.count % outputCount == 0 && scales.count == outputCount)
        self.outputCount = outputCount
        self.stride = (outputCount + 15) / 16 * 16
        self.rowCount = codes.count / outputCount
        self.factors = scales.map { $0 / (WeightFile.largestCode * WeightFile.largestCode) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(rowCount * stride, 1) * 2, alignment: 64)
        squares = raw.bindMemory(to: Int16.self, capacity: max(rowCount * stride, 1))
        squares.initialize(repeating: 0, count: max(rowCount * stride, 1))
        for row in 0..<rowCount {
            for output in 0..<outputCount {
                let code = Int16(codes[row * outputCount + output])
                squares[row * stride + output] = code < 0 ? -code * code : code * code
            }
        }
    }

    deinit { squares.deallocate() }

    /// Memory held by the squares.
    var byteCount: Int { max(rowCount * stride, 1) * 2 }

    /// Σ over `rows` of each output's weight, unscaled by the bias or the
    /// text's feature scale: integer sums, flushed to `Float` every 65,536
    /// rows (127² × 65,536 fits an `Int32`).
    func sums(rows: [Int32], into totals: UnsafeMutableBufferPointer<Float>) {
        for output in 0..<outputCount { totals[output] = 0 }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: stride) { sums in
            guard let sumsStart = sums.baseAddress else { return }
            let target = UnsafeMutableRawPointer(sumsStart)
            var start = 0
            while start < rows.count {
                let end = min(start + 65_536, rows.count)
                for lane in 0..<stride { sums[lane] = 0 }
                for index in start..<end {
                    let row = UnsafeRawPointer(squares + Int(rows[index]) * stride)
                    var lane = 0
                    while lane < stride {
                        let squares = row.load(fromByteOffset: lane * 2, as: SIMD16<Int16>.self)
                        let sum = target.loadUnaligned(fromByteOffset: lane * 4, as: SIMD16<Int32>.self)
                            &+ SIMD16<Int32>(truncatingIfNeeded: squares)
                        target.storeBytes(of: sum, toByteOffset: lane * 4, as: SIMD16<Int32>.self)
                        lane += 16
                    }
                }
                for output in 0..<outputCount { totals[output] += Float(sums[output]) * factors[output] }
                start = end
            }
        }
    }
}
