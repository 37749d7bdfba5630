import Foundation

/// A small network beside the linear layer: the text's features (those seen
/// in enough training lines) are summed into `units` hidden values, each put
/// through a ReLU, and read out again for sentiment, intent and every need.
///
/// It sees the same features as the linear layer, but its hidden units can
/// combine them (逾期 with a question word, 装修 with 门店), which a linear
/// model cannot. Its scores are mixed into the linear ones before calibration,
/// `(1 − mix)·linear + mix·hidden`, for the outputs from `firstMixedOutput`
/// on (intent and needs), so the calibration and thresholds fitted on dev see
/// the mixed score. Sentiment is fitted with the rest, which shapes the hidden
/// units, but its score stays linear: mixed in, it left dev sentiment as it
/// was and lowered the public review sets. Emotions and the need gate stay
/// linear, and evidence comes from the linear weights only.
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
    /// Feature-major: `embeddings[row * units + unit]`.
    public let embeddings: [Float]
    public let hiddenBias: [Float]
    /// Unit-major: `readout[unit * outputCount + output]`.
    public let readout: [Float]
    public let outputBias: [Float]

    public init(keys: [UInt64], units: Int, outputCount: Int, mix: Float, firstMixedOutput: Int, embeddings: [Float],
                hiddenBias: [Float], readout: [Float], outputBias: [Float]) {
        precondition(embeddings.count == keys.count * units && hiddenBias.count == units
                     && readout.count == units * outputCount && outputBias.count == outputCount
                     && (0...outputCount).contains(firstMixedOutput),
                     "hidden layer parameters do not match its sizes")
        self.keys = keys
        self.units = units
        self.outputCount = outputCount
        self.mix = mix
        self.firstMixedOutput = firstMixedOutput
        self.embeddings = embeddings
        self.hiddenBias = hiddenBias
        self.readout = readout
        self.outputBias = outputBias
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

    /// The hidden values of a text: the sum of its features' embeddings
    /// divided by √(their number), plus the bias, through a ReLU.
    func hidden(embeddingRows rows: [Int32]) -> [Float] {
        var hidden = hiddenBias
        guard !rows.isEmpty else { return hidden.map { max($0, 0) } }
        let scale = 1 / Float(rows.count).squareRoot()
        var sum = [Float](repeating: 0, count: units)
        embeddings.withUnsafeBufferPointer { embeddings in
            sum.withUnsafeMutableBufferPointer { sum in
                for row in rows {
                    let base = Int(row) * units
                    for unit in 0..<units { sum[unit] += embeddings[base + unit] }
                }
            }
        }
        for unit in 0..<units { hidden[unit] = max(sum[unit] * scale + hidden[unit], 0) }
        return hidden
    }

    /// The hidden layer's own scores (logits) for its outputs.
    func scores(hidden: [Float]) -> [Float] {
        var scores = outputBias
        readout.withUnsafeBufferPointer { readout in
            for unit in 0..<units where hidden[unit] != 0 {
                let value = hidden[unit], base = unit * outputCount
                for output in 0..<outputCount { scores[output] += value * readout[base + output] }
            }
        }
        return scores
    }

    /// Mixes this layer's scores for a text into the linear scores.
    func mix(into linearScores: inout [Float], embeddingRows rows: [Int32]) {
        let own = scores(hidden: hidden(embeddingRows: rows))
        for output in firstMixedOutput..<outputCount {
            linearScores[output] = (1 - mix) * linearScores[output] + mix * own[output]
        }
    }

    /// The embedding rows of a text's distinct linear rows (those that have one).
    static func embeddingRows(ofLinear rows: [Int32], map: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(rows.count)
        for row in rows where map[Int(row)] >= 0 { out.append(map[Int(row)]) }
        return out
    }
}
