import Testing
@testable import Classifiers

/// Scoring reads weight rows through vector registers from cache-aligned
/// storage; these pin that it adds exactly what a plain loop adds, in the
/// same order, for every width the loops split a row into.
@Suite struct LinearScoringTests {
    struct Generator {
        var state: UInt64
        mutating func below(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// A deterministic spread of weights: large and tiny, both signs, and
    /// values whose sums depend on the order they are added in.
    static func matrix(features: Int, width: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<(features * width)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max)
            return (state >> 7) % 5 == 0 ? unit * 1e-4 : unit * Float((state >> 13) % 7 + 1)
        }
    }

    @Test func rowsStartOnACacheLine() {
        for width in [1, 3, 32, 64] {
            let rows = CacheAlignedRows([Float](repeating: 1, count: width * 5), width: width)
            let start = Int(bitPattern: rows.buffer.baseAddress)
            #expect(start % 64 == 0, "width \(width)")
            #expect(rows.elements == [Float](repeating: 1, count: width * 5))
            rows.prefetch(row: 4)  // the last row: a hint only, nothing read past the end
        }
        let squares = CacheAlignedRows<Int16>([1, -4, 9, -16], width: 2)
        #expect(Int(bitPattern: squares.buffer.baseAddress) % 64 == 0)
        #expect(squares[3] == -16 && squares.count == 4 && squares.width == 2)
    }

    @Test(arguments: [1, 3, 8, 13, 32, 40, 45, 70])
    func scores_equalAPlainLoopBitForBit(width: Int) {
        let features = 400
        let values = Self.matrix(features: features, width: width, seed: UInt64(width))
        let bias = (0..<width).map { Float($0) * 0.125 - 1 }
        let weights = LinearWeights(keys: (0..<features).map { UInt64($0 * 3 + 1) }, outputCount: width, weights: values, bias: bias)
        var state: UInt64 = 7
        for count in [0, 1, 5, 6, 7, 150, 399] {
            let rows: [Int32] = (0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int32(truncatingIfNeeded: (state >> 33) % UInt64(features))
            }
            for exponent in [0.0, 0.5] {
                let scale = LinearWeights.featureScale(count: rows.count, exponent: exponent)
                var expected = [Float](repeating: 0, count: width)
                for row in rows {
                    for output in 0..<width { expected[output] += values[Int(row) * width + output] }
                }
                for output in 0..<width { expected[output] = expected[output] * scale + bias[output] }
                let scores = weights.scores(rows: rows, lengthNormalization: exponent)
                #expect(scores.map(\.bitPattern) == expected.map(\.bitPattern), "\(count) rows, width \(width)")
            }
        }
        #expect(weights.weights == values)
        #expect(weights.weightCount == values.count)
        #expect(weights.weight(row: 399, output: width - 1) == values[399 * width + width - 1])
    }

    @Test func rowsOfATextsFeatures_areFoundWithOrWithoutPrefetching() {
        let keys: [UInt64] = (1...300).map { $0 * 1_000_003 }
        let weights = LinearWeights(keys: keys, outputCount: 1, weights: [Float](repeating: 0, count: 300), bias: [0])
        var occurrences = FeatureOccurrences()
        // Known keys among unknown ones, some repeated, more than the prefetch distance apart and within it.
        let asked: [UInt64] = [keys[5], 42, keys[299], keys[5], 7, keys[0]] + keys[100..<120] + [99, keys[150]]
        for (index, key) in asked.enumerated() { occurrences.append(key, start: index, end: index + 1) }
        let (distinct, perOccurrence) = weights.rows(of: occurrences)
        let expectedPer: [Int32] = asked.map { key in keys.firstIndex(of: key).map(Int32.init) ?? -1 }
        #expect(perOccurrence == expectedPer)
        #expect(distinct == Array(Set(expectedPer.filter { $0 >= 0 })).sorted())
    }
}

/// The hidden layer sums its 8-bit codes sixteen units at a time, split into
/// even and odd lanes, and reads out eight outputs at a time: pinned here to
/// the plain computation, unit by unit, for a width with a vector part and a
/// remainder (40 units, 11 outputs), so a misplaced lane changes the result.
@Suite struct HiddenLayerVectorTests {
    @Test func mix_equalsThePlainComputationBitForBit() {
        let units = 40, outputs = 11, features = 300
        var generator = LinearScoringTests.Generator(state: 3)
        let codes: [Int8] = (0..<(features * units)).map { _ in Int8(generator.below(255) - 127) }
        let scales: [Float] = (0..<units).map { Float($0 % 7 + 1) * 0.37 }
        let hiddenBias: [Float] = (0..<units).map { Float($0 % 5) * 0.1 - 0.2 }
        let readout: [Float] = (0..<(units * outputs)).map { _ in Float(generator.below(2001) - 1000) / 997 }
        let outputBias: [Float] = (0..<outputs).map { Float($0) * 0.01 }
        let layer = HiddenLayer(keys: (0..<features).map { UInt64($0 + 1) }, units: units, outputCount: outputs, mix: 0.3,
                                firstMixedOutput: 2, unitScales: scales, codes: codes, hiddenBias: hiddenBias, readout: readout,
                                outputBias: outputBias)
        #expect(layer.codes == codes)
        let map: [Int32] = (0..<features).map { $0 % 4 == 3 ? -1 : Int32($0) }
        for count in [0, 1, 7, 120] {
            let rows: [Int32] = (0..<count).map { _ in Int32(generator.below(features)) }
            let linear: [Float] = (0..<(outputs + 1)).map { Float($0) - 4.5 }
            var scores = linear
            layer.mix(into: &scores, linearRows: rows, map: map)

            let embedded = rows.map { map[Int($0)] }.filter { $0 >= 0 }
            let scale = embedded.isEmpty ? 0 : 1 / Float(embedded.count).squareRoot()
            let hidden: [Float] = (0..<units).map { unit in
                var sum: Int32 = 0
                for row in embedded {
                    let code = codes[Int(row) * units + unit]
                    sum += Int32(code) * Int32(code.magnitude)
                }
                return max(Float(sum) * (scales[unit] / (Float(127) * Float(127))) * scale + hiddenBias[unit], 0)
            }
            var own = outputBias
            for unit in 0..<units where hidden[unit] != 0 {
                for output in 0..<outputs { own[output] += hidden[unit] * readout[unit * outputs + output] }
            }
            var expected = linear
            for output in 2..<outputs { expected[output] = (1 - 0.3) * linear[output] + 0.3 * own[output] }
            #expect(scores.map(\.bitPattern) == expected.map(\.bitPattern), "\(count) rows")
        }
    }
}
