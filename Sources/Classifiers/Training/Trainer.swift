import Dispatch
import Foundation
import Taxonomy
import TextPipeline

/// One labelled text for training: a fully labelled customer line, or a
/// sentiment-only line (the general review corpus, `corpora/reviews/`),
/// which trains the sentiment head alone.
public struct TrainingExample: Sendable {
    public let line: CorpusLine
    public let sentiment: Sentiment
    /// Nil on sentiment-only lines, as are `needs` and `emotions`.
    public let intent: Intent?
    public let needs: Set<Need>?
    public let emotions: Set<Emotion>?

    /// Nil when the line is an agent turn, lacks a sentiment, or uses a label
    /// outside the taxonomy.
    public init?(_ line: CorpusLine) {
        guard !line.isAgentTurn, let sentiment = line.sentiment.flatMap(Sentiment.init(rawValue:)) else { return nil }
        self.line = line
        self.sentiment = sentiment
        if line.intent == nil && line.needs == nil && line.emotions == nil {
            intent = nil
            needs = nil
            emotions = nil
            return
        }
        guard let intent = line.intent.flatMap(Intent.init(rawValue:)), let needs = line.needs, let emotions = line.emotions else {
            return nil
        }
        let parsedNeeds = needs.compactMap(Need.init(rawValue:))
        let parsedEmotions = emotions.compactMap(Emotion.init(rawValue:))
        guard parsedNeeds.count == needs.count, parsedEmotions.count == emotions.count else { return nil }
        self.intent = intent
        self.needs = Set(parsedNeeds)
        self.emotions = Set(parsedEmotions)
    }

    /// Whether the line carries every label (sentiment-only lines do not).
    public var isFullyLabelled: Bool { intent != nil }
}

/// Whether a line belongs to the dev split: a stable hash of its split key
/// (FNV-1a of the id, or of the conversation id for turns), never random.
public struct DatasetSplit: Sendable {
    public let devPercent: Int

    public init(devPercent: Int) { self.devPercent = devPercent }

    public func isDev(_ line: CorpusLine) -> Bool {
        var hash = FNV1a.hash(line.splitKey.utf8)
        // Mix the high bits down: FNV's low bits vary little for ids sharing a prefix.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return Int(hash % 100) < devPercent
    }

    /// Whether a training example is held out. Dev measures single customer
    /// texts of the bank corpus: sentiment-only review lines always train, and
    /// so do conversation turns, whose labels may come from the turns before
    /// (对 → repayment); conversations are scored whole, after aggregation.
    public func isDevExample(_ example: TrainingExample) -> Bool {
        example.isFullyLabelled && example.line.conversationID == nil && isDev(example.line)
    }
}

/// Fits the whole model: features for every line, a vocabulary of features
/// seen in at least `minFeatureCount` training lines, one multinomial model
/// each for sentiment and intent and one binary model per need and emotion
/// (every head fitted for each L2 strength of the grid, keeping the best on
/// dev), the hidden layer when the settings ask for one (`HiddenLayerFitter`),
/// calibration and thresholds on dev on the scores as they will be served,
/// and the dev metrics.
public struct Trainer: Sendable {
    public let processor: TextProcessor
    public let config: TrainingConfig
    public let extractor = FeatureExtractor()
    public let layout = OutputLayout()

    public init(processor: TextProcessor, config: TrainingConfig) {
        self.processor = processor
        self.config = config
    }

    public struct Result: Sendable {
        public let model: CustomerVoiceModel
        public let devReport: EvaluationReport
        public let trainCount: Int
        public let devCount: Int
    }

    /// Progress messages (no customer text).
    public typealias Log = @Sendable (String) -> Void

    public func train(_ examples: [TrainingExample], corpusFingerprint: String, corpusFiles: Int,
                      log: Log = { _ in }) throws -> Result {
        let started = Date()
        let examples = config.trainOnConversationTurns ? examples : examples.filter { $0.line.conversationID == nil }
        let split = DatasetSplit(devPercent: config.devPercent)
        let isDev = examples.map { split.isDevExample($0) }
        let trainIndices = examples.indices.filter { !isDev[$0] }
        let devIndices = examples.indices.filter { isDev[$0] }
        guard !trainIndices.isEmpty, !devIndices.isEmpty else { throw TrainingError.emptySplit }
        let corpus = ModelMeta.CorpusSummary(fingerprint: corpusFingerprint, files: corpusFiles,
                                             trainLines: trainIndices.count, devLines: devIndices.count)

        log("extracting features from \(examples.count) lines")
        let features = parallelMap(examples) { example -> [UInt64] in
            extractor.extract(processor.process(example.line.text)).distinctKeys
        }

        // Vocabulary: keys seen in enough training lines, in ascending order.
        var documentFrequency: [UInt64: Int32] = [:]
        for index in trainIndices {
            for key in features[index] { documentFrequency[key, default: 0] += 1 }
        }
        let keys = documentFrequency.filter { $0.value >= Int32(config.minFeatureCount) }.keys.sorted()
        var rowOfKey = [UInt64: Int32](minimumCapacity: keys.count)
        for (row, key) in keys.enumerated() { rowOfKey[key] = Int32(row) }
        log("vocabulary: \(keys.count) features (of \(documentFrequency.count) seen in training)")

        func rows(_ indices: [Int]) -> SparseRows {
            var rows = SparseRows(featureCount: keys.count)
            for index in indices {
                let columns = features[index].compactMap { rowOfKey[$0] }.sorted()
                rows.append(columns: columns,
                            scale: Double(LinearWeights.featureScale(count: columns.count, exponent: config.lengthNormalization)))
            }
            return rows
        }
        let trainRows = rows(trainIndices)
        let devRows = rows(devIndices)
        let trainExamples = trainIndices.map { examples[$0] }
        let devExamples = devIndices.map { examples[$0] }

        // Every head for every L2 strength, in parallel; keep the best on dev.
        let heads = HeadSpec.all(layout: layout, config: config)
        // Each head sees only the lines that carry its label (review lines have sentiment only).
        let subsets = heads.map { head in (train: head.subset(trainRows, trainExamples), dev: head.subset(devRows, devExamples)) }
        let penalties = heads.indices.map { heads[$0].penalty(subsets[$0].train.rows, subsets[$0].train.examples) }
        let jobs = heads.indices.flatMap { head in config.l2Grid.map { (head, $0) } }
        log("fitting \(heads.count) heads × \(config.l2Grid.count) L2 strengths")
        let optimizer = LBFGS(maxIterations: config.maxIterations)
        let fits = parallelMap(jobs) { job -> (fit: LogisticRegression.Fit, devLoss: Double) in
            let (index, l2) = job
            let (train, dev) = subsets[index]
            let fit = heads[index].fit(train.rows, train.examples, l2: l2, penalty: penalties[index], optimizer: optimizer)
            return (fit, heads[index].loss(fit, dev.rows, dev.examples))
        }
        var outputWeights = [[Double]](repeating: [], count: layout.outputCount)
        var outputBias = [Double](repeating: 0, count: layout.outputCount)
        var chosenL2: [String: Double] = [:]
        for (headIndex, head) in heads.enumerated() {
            let candidates = (0..<config.l2Grid.count).map { fits[headIndex * config.l2Grid.count + $0] }
            let best = candidates.indices.min { candidates[$0].devLoss < candidates[$1].devLoss }!
            chosenL2[head.name] = config.l2Grid[best]
            let fit = candidates[best].fit
            let k = head.outputs.count
            for (column, output) in head.outputs.enumerated() {
                outputWeights[output] = stride(from: column, to: fit.weights.count, by: k).map { fit.weights[$0] }
                outputBias[output] = fit.bias[column]
            }
        }

        var flat = [Float](repeating: 0, count: keys.count * layout.outputCount)
        for output in 0..<layout.outputCount {
            for row in 0..<keys.count { flat[row * layout.outputCount + output] = Float(outputWeights[output][row]) }
        }
        let weights = WeightFile.quantized(LinearWeights(keys: keys, outputCount: layout.outputCount, weights: flat,
                                                            bias: outputBias.map(Float.init)))
        var hidden: HiddenLayer? = nil
        if config.hiddenLayer.units > 0 {
            log("fitting a hidden layer of \(config.hiddenLayer.units) units")
            hidden = HiddenLayerFitter(config: config.hiddenLayer, layout: layout)
                .fit(rows: trainRows, examples: trainExamples, keys: keys)
        }

        var meta = ModelMeta(
            modelVersion: "", format: ModelMeta.currentFormat,
            taxonomyFingerprint: TaxonomyContract.ofEnums.fingerprint,
            lexiconFingerprint: processor.segmenter.lexicon.fingerprint,
            features: FeatureExtractor.version, pipeline: processor.versions, corpus: corpus, config: config,
            configHash: Self.hash(of: config), trainedAt: ISO8601DateFormatter().string(from: Date()),
            trainingSeconds: 0, featureCount: keys.count, chosenL2: chosenL2, devMetrics: MetricsSummary(lines: 0))

        // Calibration and thresholds on dev, with the weights as they will be saved.
        let uncalibrated = CustomerVoiceModel(weights: weights, hidden: hidden, layout: layout, calibration: Calibration(), meta: meta)
        let devScores = devIndices.map { index in
            uncalibrated.scores(rows: features[index].compactMap { weights.row(of: $0) })
        }
        let calibration = CalibrationFitter(config: config, layout: layout).fit(scores: devScores, examples: devExamples)
        var model = CustomerVoiceModel(weights: weights, hidden: hidden, layout: layout, calibration: calibration, meta: meta)
        let devPredictions = devIndices.enumerated().map { position, index in
            model.decide(scores: devScores[position], occurrences: nil, rows: [], masked: nil)
        }
        let report = Evaluator().evaluate(zip(devExamples.map(\.line), devPredictions).map { ($0, $1) },
                                          gold: "dev split", modelVersion: "")
        meta.devMetrics = report.summary
        meta.trainingSeconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
        model = CustomerVoiceModel(weights: weights, hidden: hidden, layout: layout, calibration: calibration, meta: meta)
        return Result(model: model, devReport: report, trainCount: trainIndices.count, devCount: devIndices.count)
    }

    static func hash(of config: TrainingConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(config)) ?? Data()
        return String(FNV1a.hash(data), radix: 16)
    }
}

public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySplit
    case noExamples

    public var code: String {
        switch self {
        case .emptySplit: "training.empty_split"
        case .noExamples: "training.no_examples"
        }
    }

    public var description: String {
        switch self {
        case .emptySplit: "the train or dev split is empty: add lines or change dev_percent (训练集或验证集为空)"
        case .noExamples: "no labelled lines found (没有可用于训练的标注数据)"
        }
    }
}

/// Maps in parallel over all cores, keeping the order. The transform must
/// be safe to call from several threads (every caller passes pure functions
/// of immutable values).
public func parallelMap<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
    if items.isEmpty { return [] }
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    withoutActuallyEscaping(transform) { transform in
        items.withUnsafeBufferPointer { items in
            nonisolated(unsafe) let results = results
            nonisolated(unsafe) let items = items
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: items.count) { index in
                results[index] = transform(items[index])
            }
        }
    }
    return results.map { $0! }
}
