import CMemoryHints
import Foundation

#if !_endian(little)
#error("HiddenLayer.accumulate reads two codes as one little-endian 16-bit lane")
#endif

/// A small network beside the linear layer: the text's features (those seen
/// in enough training lines) are summed into `units` hidden values, each put
/// through a ReLU, and read out again for sentiment, intent, every need and,
/// when it feeds the gate (`HiddenLayerConfig.feedsGate`), the need gate.
///
/// It sees the same features as the linear layer, but its hidden units can
/// combine them (逾期 with a question word, 装修 with 门店), which a linear
/// model cannot. Its scores are mixed into the linear ones before calibration,
/// `(1 − mix)·linear + mix·hidden`, for the outputs from `firstMixedOutput`
/// on (intent, needs, and the gate's output, which is last), so the
/// calibration and thresholds fitted on dev see the mixed score. Sentiment
/// is fitted with the rest, which shapes the hidden units, but its score
/// stays linear: mixed in, it left dev sentiment as it was and lowered the
/// public review sets. Emotions stay linear, and evidence comes from the
/// linear weights only.
///
/// A final class, immutable: as a struct, debug builds with Swift 6.3 crashed
/// copying the optional layer into `CustomerVoiceModel` (a null retain in the
/// compiler's outlined copy); release builds did not.
public final class HiddenLayer: Sendable {
    /// Feature keys in ascending order; a key's position is its embedding row.
    public let keys: [UInt64]
    public let units: Int
    /// The first `outputCount` outputs of the layout (sentiment, intent, needs).
    public let outputCount: Int
    /// Weight of the hidden scores in the mix (0 leaves the linear ones).
    public let mix: Float
    /// Outputs before this one keep their linear score.
    public let firstMixedOutput: Int
    /// Each unit's scale: its largest |embedding| before rounding.
    public let unitScales: [Float]
    public let hiddenBias: [Float]
    /// Unit-major: `readout[unit * outputCount + output]`.
    public let readout: [Float]
    public let outputBias: [Float]
    /// The embeddings' square-law codes, feature-major (`[row * units + unit]`),
    /// as `hidden.bin` holds them: a code c (`WeightFile`) is worth
    /// ±c²·(its unit's scale / 127²), so scoring sums c·|c| as integers and
    /// scales each unit's sum once. One byte a unit keeps a row of 64 units
    /// on one cache line (`CacheAlignedRows`), and a text reads a few hundred
    /// rows scattered over the table. Nothing else is kept: the embeddings'
    /// values are derived from these.
    let codeRows: CacheAlignedRows<Int8>
    /// Each unit's scale / 127².
    let unitFactors: [Float]

    /// A layer from its square-law codes (feature-major) and unit scales, as `hidden.bin` holds them.
    public init(keys: [UInt64], units: Int, outputCount: Int, mix: Float, firstMixedOutput: Int, unitScales: [Float],
                codes: [Int8], hiddenBias: [Float], readout: [Float], outputBias: [Float]) {
        precondition(codes.count == keys.count * units && unitScales.count == units && hiddenBias.count == units
                     && readout.count == units * outputCount && outputBias.count == outputCount
                     && (0...outputCount).contains(firstMixedOutput),
                     "hidden layer parameters do not match its sizes")
        self.keys = keys
        self.units = units
        self.outputCount = outputCount
        self.mix = mix
        self.firstMixedOutput = firstMixedOutput
        self.unitScales = unitScales
        self.hiddenBias = hiddenBias
        self.readout = readout
        self.outputBias = outputBias
        let levels = WeightFile.largestCode * WeightFile.largestCode
        self.unitFactors = unitScales.map { $0 / levels }
        precondition(!codes.contains(Int8.min), "square-law codes run −127…127")
        self.codeRows = CacheAlignedRows(codes, width: units)
    }

    /// A layer from fitted embeddings (feature-major), each rounded to its
    /// unit's nearest square-law level: what the file holds, so a model used
    /// before saving scores exactly as it will after loading.
    public convenience init(keys: [UInt64], units: Int, outputCount: Int, mix: Float, firstMixedOutput: Int,
                            rounding embeddings: [Float], hiddenBias: [Float], readout: [Float], outputBias: [Float]) {
        let scales = WeightFile.columnScales(embeddings, columns: units)
        let codes = embeddings.enumerated().map { index, value in WeightFile.code(of: value, scale: scales[index % units]) }
        self.init(keys: keys, units: units, outputCount: outputCount, mix: mix, firstMixedOutput: firstMixedOutput,
                  unitScales: scales, codes: codes, hiddenBias: hiddenBias, readout: readout, outputBias: outputBias)
    }

    /// The square-law codes, feature-major (what `hidden.bin` stores).
    public var codes: [Int8] { codeRows.elements }

    /// The embeddings' values, feature-major.
    public var embeddings: [Float] {
        codeRows.elements.enumerated().map { index, code in Float(Self.signedSquare(code)) * unitFactors[index % units] }
    }

    /// For every row of `linear`, its embedding row here, or −1 when the
    /// feature has none (too rare for the hidden layer). Every key here is
    /// in the linear vocabulary: the layer was fitted on its rows.
    public func embeddingRows(for linear: LinearWeights) -> [Int32] {
        var rows = [Int32](repeating: -1, count: linear.featureCount)
        for (row, key) in keys.enumerated() {
            if let linearRow = linear.row(of: key) { rows[Int(linearRow)] = Int32(row) }
        }
        return rows
    }

    /// How many rows ahead of the one being summed are asked for.
    static let prefetchDistance = 6

    /// Where a unit's sum is kept while a text's rows are summed: in each
    /// block of sixteen units, the eight even ones first, then the odd ones
    /// (the order the vector loop splits codes into); units past the last
    /// whole block in place.
    @inline(__always)
    static func sumSlot(of unit: Int, lanes: Int) -> Int {
        guard unit < lanes else { return unit }
        let within = unit & 15
        return (unit &- within) &+ (within & 1) &* 8 &+ within >> 1
    }

    /// What a code adds to its unit's sum: c·|c|, that is ±c².
    @inline(__always)
    static func signedSquare(_ code: Int8) -> Int32 { Int32(code) * Int32(code.magnitude) }

    /// Writes the hidden values of a text into `hidden`: the sum of its
    /// features' embeddings divided by √(their number), plus the bias,
    /// through a ReLU.
    @inline(__always)
    private func accumulate<Rows: Collection<Int32>>(_ rows: Rows, into hidden: UnsafeMutableBufferPointer<Float>) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: units) { sums in
            for unit in 0..<units { sums[unit] = 0 }
            let codes = codeRows.buffer
            let lanes = units / 16 * 16
            if let first = codes.baseAddress, let sumsStart = sums.baseAddress {
                let raw = UnsafeRawPointer(first), target = UnsafeMutableRawPointer(sumsStart)
                // The rows a few ahead are asked for before they are read.
                var ahead = rows.index(rows.startIndex, offsetBy: Self.prefetchDistance, limitedBy: rows.endIndex) ?? rows.endIndex
                for row in rows {
                    if ahead != rows.endIndex {
                        codeRows.prefetch(row: rows[ahead])
                        rows.formIndex(after: &ahead)
                    }
                    let base = Int(row) &* units
                    // Sixteen units at a time (the bundled layer has 64), the rest one by one:
                    // sixteen codes are read as eight 16-bit lanes and split by shifts into the
                    // even units' codes and the odd units'; c·|c| fits 16 bits (at most 127²),
                    // the sums take 32 and are kept even units first (`sumSlot`). A lane's low
                    // byte is the even unit's code: the byte order of every platform Swift builds
                    // Xinsheng for (checked at the top of the file).
                    var unit = 0
                    while unit < lanes {
                        let pairs = raw.loadUnaligned(fromByteOffset: base &+ unit, as: SIMD8<Int16>.self)
                        let even = (pairs &<< 8) &>> 8, odd = pairs &>> 8
                        let evenSign = even &>> 15, oddSign = odd &>> 15  // −1 for a negative code, 0 otherwise
                        let evenSquares = even &* ((even ^ evenSign) &- evenSign)
                        let oddSquares = odd &* ((odd ^ oddSign) &- oddSign)
                        let evenSums = target.loadUnaligned(fromByteOffset: unit &* 4, as: SIMD8<Int32>.self)
                            &+ SIMD8<Int32>(truncatingIfNeeded: evenSquares)
                        let oddSums = target.loadUnaligned(fromByteOffset: unit &* 4 &+ 32, as: SIMD8<Int32>.self)
                            &+ SIMD8<Int32>(truncatingIfNeeded: oddSquares)
                        target.storeBytes(of: evenSums, toByteOffset: unit &* 4, as: SIMD8<Int32>.self)
                        target.storeBytes(of: oddSums, toByteOffset: unit &* 4 &+ 32, as: SIMD8<Int32>.self)
                        unit &+= 16
                    }
                    for rest in lanes..<units { sums[rest] &+= Self.signedSquare(codes[base &+ rest]) }
                }
            }
            let scale = rows.isEmpty ? 0 : 1 / Float(rows.count).squareRoot()
            for unit in 0..<units {
                hidden[unit] = max(Float(sums[Self.sumSlot(of: unit, lanes: lanes)]) * unitFactors[unit] * scale
                                   + hiddenBias[unit], 0)
            }
        }
    }

    /// Adds the readout of the hidden values to `scores` (which start at the output biases).
    @inline(__always)
    private func addReadout(_ hidden: UnsafeBufferPointer<Float>, into scores: UnsafeMutableBufferPointer<Float>) {
        readout.withUnsafeBufferPointer { readout in
            guard let readoutStart = readout.baseAddress, let scoresStart = scores.baseAddress else { return }
            let from = UnsafeRawPointer(readoutStart), into = UnsafeMutableRawPointer(scoresStart)
            // Eight outputs at a time in a vector register, the rest one by one; each
            // output still adds its units' products in unit order, so the sums are the same.
            var output = 0
            while output + 8 <= outputCount {
                var sums = into.loadUnaligned(fromByteOffset: output &* 4, as: SIMD8<Float>.self)
                for unit in 0..<units where hidden[unit] != 0 {
                    let products = SIMD8(repeating: hidden[unit])
                        * from.loadUnaligned(fromByteOffset: (unit &* outputCount &+ output) &* 4, as: SIMD8<Float>.self)
                    sums += products
                }
                into.storeBytes(of: sums, toByteOffset: output &* 4, as: SIMD8<Float>.self)
                output += 8
            }
            for rest in output..<outputCount {
                for unit in 0..<units where hidden[unit] != 0 { scores[rest] += hidden[unit] * readout[unit &* outputCount &+ rest] }
            }
        }
    }

    /// Mixes this layer's scores for a text into the linear scores; `rows`
    /// are the text's distinct linear rows and `map` gives their embedding
    /// rows (`embeddingRows(for:)`). Output k of the layer is output k of the
    /// linear layer, except that a layer feeding the need gate has the gate's
    /// score last and `gateOutput` says where it goes. Scratch space is on
    /// the stack.
    func mix(into linearScores: inout [Float], linearRows rows: [Int32], map: [Int32], gateOutput: Int? = nil) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(rows.count, 1)) { embedded in
            var count = 0
            map.withUnsafeBufferPointer { map in
                // The map is a megabyte read at scattered places: its entries a few rows ahead are asked for too.
                for index in rows.indices {
                    if index &+ Self.prefetchDistance < rows.count, let start = map.baseAddress {
                        xs_prefetch(start + Int(rows[index &+ Self.prefetchDistance]))
                    }
                    let embedding = map[Int(rows[index])]
                    if embedding >= 0 {
                        embedded[count] = embedding
                        count += 1
                    }
                }
            }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: units + outputCount) { buffer in
                let hidden = UnsafeMutableBufferPointer(rebasing: buffer[0..<units])
                let own = UnsafeMutableBufferPointer(rebasing: buffer[units...])
                accumulate(embedded[0..<count], into: hidden)
                for output in 0..<outputCount { own[output] = outputBias[output] }
                addReadout(UnsafeBufferPointer(hidden), into: own)
                let direct = gateOutput == nil ? outputCount : outputCount - 1
                for output in firstMixedOutput..<direct {
                    linearScores[output] = (1 - mix) * linearScores[output] + mix * own[output]
                }
                if let gateOutput {
                    linearScores[gateOutput] = (1 - mix) * linearScores[gateOutput] + mix * own[outputCount - 1]
                }
            }
        }
    }

    /// Memory held by the layer's parameters, in bytes.
    public var parameterBytes: Int {
        keys.count * 8 + codeRows.count
            + (unitScales.count + unitFactors.count + hiddenBias.count + readout.count + outputBias.count) * 4
    }
}
