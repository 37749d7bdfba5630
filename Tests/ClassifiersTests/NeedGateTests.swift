import Foundation
import Testing
import Taxonomy
@testable import Classifiers
import TextPipeline

/// The need gate: one binary output for "the text states any need", which
/// must let a need through only when it is open — except financial_hardship —
/// and whose threshold is fitted with the needs' thresholds on dev.
@Suite struct NeedGateTests {
    static let layout = OutputLayout()

    static func model(gate: Calibration.Binary?) -> CustomerVoiceModel {
        let layout = Self.layout
        let linear = LinearWeights(keys: [], outputCount: layout.outputCount, weights: [],
                                   bias: [Float](repeating: 0, count: layout.outputCount))
        let meta = ModelMeta(modelVersion: "hand", format: ModelMeta.currentFormat, taxonomyFingerprint: "", lexiconFingerprint: "",
                             features: FeatureExtractor.version, pipeline: [:],
                             corpus: .init(fingerprint: "", files: 0, trainLines: 0, devLines: 0), config: TrainingConfig(),
                             configHash: "", trainedAt: "", trainingSeconds: 0, featureCount: 0, chosenL2: [:],
                             devMetrics: MetricsSummary(lines: 0))
        return CustomerVoiceModel(weights: linear, calibration: Calibration(needGate: gate), meta: meta)
    }

    /// Raw scores with home_purchase and financial_hardship both high, and the gate's score given.
    static func scores(gate: Float) -> [Float] {
        var scores = [Float](repeating: -5, count: layout.outputCount)
        scores[layout.output(of: Need.homePurchase)] = 4
        scores[layout.output(of: Need.financialHardship)] = 4
        scores[layout.needGateOutput] = gate
        return scores
    }

    @Test func layout_putsTheGateAfterTheEmotions() {
        #expect(Self.layout.needGateOutput == Self.layout.emotionRange.upperBound)
        #expect(Self.layout.outputCount == Self.layout.needGateOutput + 1)
    }

    @Test func closedGate_dropsNeedsButNeverHardship() {
        let gated = Self.model(gate: Calibration.Binary(a: 1, b: 0, threshold: 0.5))
        let closed = gated.decide(scores: Self.scores(gate: -3), occurrences: nil, rows: [], masked: nil)
        #expect(closed.needs.map(\.label) == [.financialHardship])
        // Probabilities are still reported for every need, gate or not.
        #expect(closed.needProbabilities[Need.allCases.firstIndex(of: .homePurchase)!] > 0.9)
        let open = gated.decide(scores: Self.scores(gate: 3), occurrences: nil, rows: [], masked: nil)
        #expect(Set(open.needs.map(\.label)) == [.financialHardship, .homePurchase])
        // No gate in the calibration: every need decides alone.
        let ungated = Self.model(gate: nil).decide(scores: Self.scores(gate: -3), occurrences: nil, rows: [], masked: nil)
        #expect(Set(ungated.needs.map(\.label)) == [.financialHardship, .homePurchase])
    }

    static func example(_ id: String, needs: Set<Need>) -> TrainingExample {
        let line = try! JSONDecoder().decode(CorpusLine.self, from: Data("""
        {"id":"\(id)","channel":"chat","text":"x","sentiment":"neutral","emotions":[],"intent":"other","needs":[\(needs.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]}
        """.utf8))
        return TrainingExample(line)!
    }

    /// Dev lines for the fitter: for each index, whether the line has
    /// home_purchase, and the raw scores of that need and of the gate.
    static func lines(_ count: Int, prefix: String,
                      _ line: (Int) -> (hasNeed: Bool, need: Float, gate: Float)) -> (scores: [[Float]], examples: [TrainingExample]) {
        var scores: [[Float]] = []
        var examples: [TrainingExample] = []
        for index in 0..<count {
            let (hasNeed, need, gate) = line(index)
            var row = [Float](repeating: -4, count: layout.outputCount)
            row[layout.output(of: Need.homePurchase)] = need
            row[layout.needGateOutput] = gate
            scores.append(row)
            examples.append(example("\(prefix)-\(index)", needs: hasNeed ? [.homePurchase] : []))
        }
        return (scores, examples)
    }

    @Test func fitter_choosesAGateThatRemovesFalseAlarmsTheNeedAloneCannot() throws {
        // home_purchase scores high on every line; only the gate tells the
        // lines with a need (gate +4) from those without (gate −4).
        // The same spread of need scores with and without the need.
        let (scores, examples) = Self.lines(40, prefix: "g") { index in
            (index % 2 == 0, 1 + Float(index / 2 % 5) * 0.5, index % 2 == 0 ? 4 : -4)
        }
        let calibration = CalibrationFitter(config: TrainingConfig(), layout: Self.layout).fit(scores: scores, examples: examples)
        let gate = try #require(calibration.needGate)
        #expect((0.2...0.8).contains(gate.threshold))
        let model = Self.model(gate: gate)
        let withCalibration = CustomerVoiceModel(weights: model.weights, calibration: calibration, meta: model.meta)
        for (row, example) in zip(scores, examples) {
            let predicted = withCalibration.decide(scores: row, occurrences: nil, rows: [], masked: nil).needs.map(\.label)
            #expect(Set(predicted) == example.needs!)
        }
    }

    @Test func fitter_prefersTheHigherGateWithinTheTolerance() throws {
        // Gate scores spread evenly: with the need score uninformative, the
        // best micro-F1 sits on a plateau of gate thresholds, and the
        // tolerance takes the top of it.
        // Overlapping gate scores: a higher gate threshold trades missed needs for fewer false alarms.
        let (scores, examples) = Self.lines(60, prefix: "t") { index in
            (index % 3 == 0, 1 + Float(index / 3 % 5) * 0.5, (index % 3 == 0 ? -1 : -3) + Float(index % 9) * 0.5)
        }
        var strict = TrainingConfig()
        strict.needGateTolerance = 0
        var tolerant = TrainingConfig()
        tolerant.needGateTolerance = 0.05
        let low = try #require(CalibrationFitter(config: strict, layout: Self.layout).fit(scores: scores, examples: examples).needGate)
        let high = try #require(CalibrationFitter(config: tolerant, layout: Self.layout).fit(scores: scores, examples: examples).needGate)
        #expect(high.threshold > low.threshold)
    }

    @Test func fitter_keepsNoGateThatChangesDecisionsWhenItAddsNothing() {
        // The need's own score separates the lines; the gate is noise.
        let (scores, examples) = Self.lines(40, prefix: "n") { index in
            (index % 2 == 0, index % 2 == 0 ? 4 : -4, index % 4 < 2 ? 1 : -1)
        }
        let calibration = CalibrationFitter(config: TrainingConfig(), layout: Self.layout).fit(scores: scores, examples: examples)
        // Whatever gate is kept changes no decision: the needs are those of no gate at all.
        var ungated = calibration
        ungated.needGate = nil
        let model = Self.model(gate: nil)
        let withGate = CustomerVoiceModel(weights: model.weights, calibration: calibration, meta: model.meta)
        let withoutGate = CustomerVoiceModel(weights: model.weights, calibration: ungated, meta: model.meta)
        for (row, example) in zip(scores, examples) {
            let gated = withGate.decide(scores: row, occurrences: nil, rows: [], masked: nil).needs.map(\.label)
            #expect(gated == withoutGate.decide(scores: row, occurrences: nil, rows: [], masked: nil).needs.map(\.label))
            #expect(Set(gated) == example.needs!)
        }
    }
}
