import Foundation
import Taxonomy
import TextPipeline

/// Xinsheng's trained model: features, one linear layer over them for every
/// label, optionally a hidden layer mixed into the intent and need scores
/// (`HiddenLayer`), and the calibration fitted on the dev split.
/// Immutable and `Sendable`: one instance serves every thread.
public struct CustomerVoiceModel: Sendable {
    public let extractor: FeatureExtractor
    public let weights: LinearWeights
    public let hidden: HiddenLayer?
    public let layout: OutputLayout
    public let calibration: Calibration
    public let meta: ModelMeta
    /// The calibration's sentiment offsets in the layout's order, looked up once.
    let sentimentOffsets: [Double]
    /// For each linear row, its row in the hidden layer's embeddings (−1: none).
    let embeddingRows: [Int32]

    public init(extractor: FeatureExtractor = FeatureExtractor(), weights: LinearWeights, hidden: HiddenLayer? = nil,
                layout: OutputLayout = OutputLayout(), calibration: Calibration, meta: ModelMeta) {
        precondition(weights.outputCount == layout.outputCount, "weights do not match the output layout")
        var embeddingRows: [Int32] = []
        if let hidden {
            let needsEnd = layout.needRange.upperBound
            precondition(hidden.outputCount == needsEnd || hidden.outputCount == needsEnd + 1,
                         "hidden layer does not match the output layout")
            embeddingRows = hidden.embeddingRows(for: weights)
        }
        self.extractor = extractor
        self.weights = weights
        self.hidden = hidden
        self.layout = layout
        self.calibration = calibration
        self.meta = meta
        self.sentimentOffsets = layout.sentiments.map { calibration.sentimentOffsets?[$0.rawValue] ?? 0 }
        self.embeddingRows = embeddingRows
    }

    public var version: String { meta.modelVersion }

    /// Predicts every label of a processed text; with `evidence`, also the
    /// spans behind each predicted label.
    public func predict(_ text: ProcessedText, evidence: Bool = true) -> Prediction {
        predict(text, evidenceFor: evidence ? .allLabels : nil)
    }

    /// Which labels get evidence spans: all, or the needs and emotions only
    /// (batch mining: sentiment and intent evidence, the costliest, go unused).
    public enum EvidenceScope: Sendable {
        case allLabels
        case needsAndEmotions
    }

    /// `cues` is `CueScopeAnalyzer.read(text.tokens)` when the caller has it
    /// already; otherwise the features read it.
    public func predict(_ text: ProcessedText, cues: CueReading? = nil, evidenceFor scope: EvidenceScope?) -> Prediction {
        let (occurrences, rows, scores) = score(text, cues: cues)
        return decide(scores: scores, occurrences: occurrences, rows: rows,
                      masked: scope == nil ? nil : text.masked.entities.map(\.maskedSpan), scope: scope ?? .allLabels)
    }

    /// Raw scores only (logits before calibration).
    func scores(_ text: ProcessedText) -> [Float] {
        score(text).scores
    }

    /// Features, the weight row of each occurrence, and the raw scores.
    private func score(_ text: ProcessedText, cues: CueReading? = nil)
        -> (occurrences: FeatureOccurrences, rows: [Int32], scores: [Float]) {
        let occurrences = extractor.extract(text, cues: cues)
        let (distinct, perOccurrence) = weights.rows(of: occurrences)
        return (occurrences, perOccurrence, scores(rows: distinct))
    }

    /// The raw scores of a text's distinct linear rows: the linear layer's,
    /// with the hidden layer's mixed in.
    func scores(rows: [Int32]) -> [Float] {
        var scores = weights.scores(rows: rows, lengthNormalization: meta.config.lengthNormalization)
        if let hidden {
            // A layer with one output past the needs feeds the need gate with it.
            let gate = hidden.outputCount > layout.needRange.upperBound ? layout.needGateOutput : nil
            hidden.mix(into: &scores, linearRows: rows, map: embeddingRows, gateOutput: gate)
        }
        return scores
    }

    func decide(scores: [Float], occurrences: FeatureOccurrences?, rows: [Int32], masked: [TextSpan]?,
                scope: EvidenceScope = .allLabels) -> Prediction {
        let sentimentProbabilities = Calibration.softmax(scores[layout.sentimentRange], temperature: calibration.sentimentTemperature)
        let intentProbabilities = Calibration.softmax(scores[layout.intentRange], temperature: calibration.intentTemperature)
        let sentimentIndex = Calibration.chooseSentiment(sentimentProbabilities, offsets: sentimentOffsets)
        let sentiment = Scored(label: layout.sentiments[sentimentIndex], confidence: sentimentProbabilities[sentimentIndex])
        let ranking = intentProbabilities.indices
            .sorted { intentProbabilities[$0] != intentProbabilities[$1] ? intentProbabilities[$0] > intentProbabilities[$1] : $0 < $1 }
            .map { Scored(label: layout.intents[$0], confidence: intentProbabilities[$0]) }

        var needProbabilities: [Double] = []
        var needs: [Scored<Need>] = []
        let gateOpen = calibration.needGate.map { $0.probability(Double(scores[layout.needGateOutput])) >= $0.threshold } ?? true
        for (index, need) in layout.needs.enumerated() {
            let binary = calibration.needs[need.rawValue] ?? Calibration.Binary()
            let probability = binary.probability(Double(scores[layout.needRange.lowerBound + index]))
            needProbabilities.append(probability)
            if (gateOpen || !Calibration.isGated(need)) && probability >= binary.threshold { needs.append(Scored(label: need, confidence: probability)) }
        }
        needs.sort { $0.confidence > $1.confidence }

        var emotionProbabilities: [Double] = []
        var emotions: [Scored<Emotion>] = []
        for (index, emotion) in layout.emotions.enumerated() {
            let binary = calibration.emotions[emotion.rawValue] ?? Calibration.Binary()
            let probability = binary.probability(Double(scores[layout.emotionRange.lowerBound + index]))
            emotionProbabilities.append(probability)
            if sentiment.label == .negative && probability >= binary.threshold {
                emotions.append(Scored(label: emotion, confidence: probability))
            }
        }
        emotions.sort { $0.confidence > $1.confidence }

        var evidence = PredictionEvidence()
        if let occurrences, let masked {
            let finder = EvidenceFinder(occurrences: occurrences, rows: rows, excluding: masked)
            let weights = self.weights  // what the closures below need, not the whole model
            if scope == .allLabels {
                let sentimentRange = layout.sentimentRange, intentRange = layout.intentRange
                let sentimentOutput = layout.output(of: sentiment.label), intentOutput = layout.output(of: ranking[0].label)
                evidence.sentiment = finder.spans { weights.support(row: $0, for: sentimentOutput, among: sentimentRange) }
                evidence.intent = finder.spans { weights.support(row: $0, for: intentOutput, among: intentRange) }
            }
            for need in needs {
                let output = layout.output(of: need.label)
                evidence.needs[need.label] = finder.spans { Double(weights.weight(row: $0, output: output)) }
            }
            for emotion in emotions {
                let output = layout.output(of: emotion.label)
                evidence.emotions[emotion.label] = finder.spans { Double(weights.weight(row: $0, output: output)) }
            }
        }

        return Prediction(sentiment: sentiment, sentimentProbabilities: sentimentProbabilities, emotions: emotions,
                          emotionProbabilities: emotionProbabilities, intent: ranking[0], intentRanking: ranking,
                          needs: needs, needProbabilities: needProbabilities, evidence: evidence)
    }
}

extension CustomerVoiceModel {
    /// Predicts many texts on all cores; the same results as one by one, in order.
    public func predict(batch texts: [ProcessedText], evidence: Bool = true) -> [Prediction] {
        parallelMap(texts) { predict($0, evidence: evidence) }
    }
}
