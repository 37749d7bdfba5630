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
/// and the dev metrics; then, with `refitOnAllLines`, the weights fitted
/// again on train and dev together, keeping dev's calibration.
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

    /// `verbose`: also logs every fit's steps, seconds, training objective and
    /// dev loss, the strength chosen, and each head's refit.
    public func train(_ examples: [TrainingExample], corpusFingerprint: String, corpusFiles: Int,
                      verbose: Bool = false, log: Log = { _ in }) throws -> Result {
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

        let vocabulary = Vocabulary(features: features, lines: trainIndices, minCount: config.minFeatureCount)
        log("vocabulary: \(vocabulary.keys.count) features (of \(vocabulary.seenCount) seen in training)")
        let trainRows = vocabulary.rows(features, trainIndices, lengthNormalization: config.lengthNormalization)
        let devRows = vocabulary.rows(features, devIndices, lengthNormalization: config.lengthNormalization)
        let trainExamples = trainIndices.map { examples[$0] }
        let devExamples = devIndices.map { examples[$0] }

        // Every head for every L2 strength, in parallel; keep the best on dev.
        let heads = HeadSpec.all(layout: layout, config: config)
        // Each head sees only the lines that carry its label (review lines have sentiment only).
        let subsets = heads.map { head in (train: head.subset(trainRows, trainExamples), dev: head.subset(devRows, devExamples)) }
        let penalties = heads.indices.map { heads[$0].penalty(subsets[$0].train.rows, subsets[$0].train.examples) }
        let hiddenFitter = config.hiddenLayer.units > 0 ? HiddenLayerFitter(config: config.hiddenLayer, layout: layout) : nil
        log("fitting \(heads.count) heads × \(config.l2Grid.count) L2 strengths"
            + (hiddenFitter.map { " and a hidden layer of \($0.config.units) units" } ?? ""))
        let optimizer = LBFGS(maxIterations: config.maxIterations)
        let hiddenOnTrain = hiddenFitter.map { fitter in { fitter.fit(rows: trainRows, examples: trainExamples, keys: vocabulary.keys) } }
        // Strongest L2 first: with a warm-started path each later strength starts from its fit.
        let strongestFirst = config.l2Grid.indices.sorted { config.l2Grid[$0] > config.l2Grid[$1] }
        let stage = fitConcurrently(heads: heads, strengths: strongestFirst, warmStart: config.l2PathWarmStart,
                                    stopWhenWorse: config.l2PathStopWhenWorse, hidden: hiddenOnTrain) { index, strength, start in
            let (train, dev) = subsets[index]
            let fit = heads[index].fit(train.rows, train.examples, l2: config.l2Grid[strength], penalty: penalties[index],
                                       initial: start, optimizer: optimizer)
            return (fit, heads[index].loss(fit, dev.rows, dev.examples))
        }
        var chosenL2: [String: Double] = [:]
        var chosenFits: [LogisticRegression.Fit] = []
        for (headIndex, head) in heads.enumerated() {
            let candidates = stage.fits[headIndex]
            let (best, bestFit) = candidates.enumerated().compactMap { strength, fit in fit.map { (strength, $0) } }
                .min { $0.1.devLoss < $1.1.devLoss }!
            chosenL2[head.name] = config.l2Grid[best]
            chosenFits.append(bestFit.fit)
            if verbose {
                let tried = strongestFirst.map { strength in
                    guard let c = candidates[strength] else {
                        return String(format: "L2 %g: not fitted (dev loss rose before it)", config.l2Grid[strength])
                    }
                    return String(format: "L2 %g: %d steps, %.1f s, objective %.6f, dev loss %.4f",
                                  config.l2Grid[strength], c.fit.iterations, c.seconds, c.fit.loss, c.devLoss)
                }
                log("  \(head.name): " + tried.joined(separator: "; ") + String(format: " → %g", config.l2Grid[best]))
            }
        }
        let weights = linearWeights(keys: vocabulary.keys, heads: heads, fits: chosenFits)
        let hidden = stage.hidden

        var meta = ModelMeta(
            modelVersion: "", format: ModelMeta.currentFormat,
            taxonomyFingerprint: TaxonomyContract.ofEnums.fingerprint,
            lexiconFingerprint: processor.segmenter.lexicon.fingerprint,
            features: FeatureExtractor.version, pipeline: processor.versions, corpus: corpus, config: config,
            configHash: Self.hash(of: config), trainedAt: ISO8601DateFormatter().string(from: Date()),
            trainingSeconds: 0, featureCount: weights.keys.count, chosenL2: chosenL2, devMetrics: MetricsSummary(lines: 0))

        // Calibration and thresholds on dev, on the scores of the train-only weights as they
        // would be saved (quantised, with the hidden layer mixed in).
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

        // The weights to save: fitted again on train and dev together when
        // the settings ask, each head at the L2 strength dev chose for it and
        // starting from its train-only fit; the calibration stays dev's.
        var savedWeights = weights, savedHidden = hidden
        if config.refitOnAllLines {
            let all = Array(examples.indices)
            let allVocabulary = Vocabulary(features: features, lines: all, minCount: config.minFeatureCount)
            let allRows = allVocabulary.rows(features, all, lengthNormalization: config.lengthNormalization)
            log("refitting on all \(all.count) lines (train and dev): \(allVocabulary.keys.count) features, "
                + "\(heads.count) heads at their chosen L2 strengths" + (hiddenFitter == nil ? "" : " and the hidden layer"))
            let hiddenOnAll = hiddenFitter.map { fitter in { fitter.fit(rows: allRows, examples: examples, keys: allVocabulary.keys) } }
            let refit = fitConcurrently(heads: heads, strengths: [0], warmStart: false, stopWhenWorse: false,
                                        hidden: hiddenOnAll) { index, _, _ in
                let (rows, lines) = heads[index].subset(allRows, examples)
                let start = vocabulary.carry(chosenFits[index], to: allVocabulary)
                let fit = heads[index].fit(rows, lines, l2: chosenL2[heads[index].name]!, penalty: heads[index].penalty(rows, lines),
                                           initial: start, optimizer: LBFGS(maxIterations: config.refitMaxIterations))
                return (fit, 0)
            }
            if verbose {
                for (head, fits) in zip(heads, refit.fits) {
                    log(String(format: "  %@ refit: %d steps, %.1f s", head.name, fits[0]!.fit.iterations, fits[0]!.seconds))
                }
            }
            savedWeights = linearWeights(keys: allVocabulary.keys, heads: heads, fits: refit.fits.map { $0[0]!.fit })
            savedHidden = refit.hidden
            meta.featureCount = savedWeights.keys.count
        }
        meta.trainingSeconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
        model = CustomerVoiceModel(weights: savedWeights, hidden: savedHidden, layout: layout, calibration: calibration, meta: meta)
        return Result(model: model, devReport: report, trainCount: trainIndices.count, devCount: devIndices.count)
    }

    /// One head's fit at one L2 strength: its weights, its dev loss and the seconds it took.
    private struct HeadFit {
        let fit: LogisticRegression.Fit
        let devLoss: Double
        let seconds: Double
    }

    /// Every head at each of the L2 strengths `strengths` (indices into the
    /// grid), and the hidden layer when `fitHidden` is given, on all cores: the
    /// multinomial heads (the longest fits) start first, then the hidden layer
    /// (one thread), then the binary heads. With `warmStart` a head's
    /// strengths are one job, fitted in the order given, each starting from
    /// the one before (`fitHead`'s `start`); with `stopWhenWorse` too, a
    /// path ends at the first strength whose dev loss rose (`pathContinues`).
    /// Without `warmStart`, each strength is a job of its own, started from
    /// nil. Each fit is deterministic on its own, so the order of jobs changes
    /// only the time taken. `fits[head][strength]`, heads in the order of
    /// `heads`, strengths indexed as given; nil for a strength not fitted.
    private func fitConcurrently(
        heads: [HeadSpec], strengths: [Int], warmStart: Bool, stopWhenWorse: Bool, hidden fitHidden: (() -> HiddenLayer)?,
        head fitHead: (_ head: Int, _ strength: Int, _ start: LogisticRegression.Fit?) -> (fit: LogisticRegression.Fit, devLoss: Double)
    ) -> (fits: [[HeadFit?]], hidden: HiddenLayer?) {
        enum Job { case head(Int, [Int]), hidden }
        enum Outcome { case head([HeadFit]), hidden(HiddenLayer) }
        func jobs(where multinomial: Bool) -> [Job] {
            heads.indices.filter { heads[$0].kind.isMultinomial == multinomial }
                .flatMap { head in warmStart ? [Job.head(head, strengths)] : strengths.map { Job.head(head, [$0]) } }
        }
        let jobs = jobs(where: true) + (fitHidden == nil ? [] : [.hidden]) + jobs(where: false)
        let outcomes = parallelMap(jobs) { job -> Outcome in
            switch job {
            case .head(let head, let path):
                var fitted: [HeadFit] = []
                for strength in path {
                    if stopWhenWorse && !Self.pathContinues(devLosses: fitted.map(\.devLoss)) { break }
                    let started = Date()
                    let (fit, devLoss) = fitHead(head, strength, fitted.last?.fit)
                    fitted.append(HeadFit(fit: fit, devLoss: devLoss, seconds: Date().timeIntervalSince(started)))
                }
                return .head(fitted)
            case .hidden: return .hidden(fitHidden!())
            }
        }
        var fits = heads.map { _ in [HeadFit?](repeating: nil, count: (strengths.max() ?? 0) + 1) }
        var hidden: HiddenLayer? = nil
        for (job, outcome) in zip(jobs, outcomes) {
            switch (job, outcome) {
            case (.head(let head, let path), .head(let fitted)):
                for (strength, fit) in zip(path, fitted) { fits[head][strength] = fit }
            case (.hidden, .hidden(let layer)): hidden = layer
            default: preconditionFailure("a job and its outcome differ in kind")
            }
        }
        return (fits, hidden)
    }

    /// Whether an L2 path whose fits so far had these dev losses (strongest
    /// first) goes on to the next, weaker strength: not once the last fit's
    /// dev loss rose above the one before it (weaker strengths fit the train
    /// lines closer still, and take the most steps).
    static func pathContinues(devLosses: [Double]) -> Bool {
        guard devLosses.count >= 2 else { return true }
        return devLosses[devLosses.count - 1] <= devLosses[devLosses.count - 2]
    }

    /// The heads' fits as one table of weights (feature-major, every output
    /// of the layout), quantised as they are saved.
    private func linearWeights(keys: [UInt64], heads: [HeadSpec], fits: [LogisticRegression.Fit]) -> LinearWeights {
        var flat = [Float](repeating: 0, count: keys.count * layout.outputCount)
        var bias = [Float](repeating: 0, count: layout.outputCount)
        for (head, fit) in zip(heads, fits) {
            let k = head.outputs.count
            for (column, output) in head.outputs.enumerated() {
                for row in 0..<keys.count { flat[row * layout.outputCount + output] = Float(fit.weights[row * k + column]) }
                bias[output] = Float(fit.bias[column])
            }
        }
        return WeightFile.quantized(LinearWeights(keys: keys, outputCount: layout.outputCount, weights: flat, bias: bias))
    }

    static func hash(of config: TrainingConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(config)) ?? Data()
        return String(FNV1a.hash(data), radix: 16)
    }
}

/// The features that get a weight: the keys seen in at least `minCount` of
/// the given lines, in ascending order, each with its row.
struct Vocabulary {
    let keys: [UInt64]
    let rowOfKey: [UInt64: Int32]
    /// Distinct keys in those lines, kept or not.
    let seenCount: Int

    init(features: [[UInt64]], lines: [Int], minCount: Int) {
        var documentFrequency: [UInt64: Int32] = [:]
        for line in lines {
            for key in features[line] { documentFrequency[key, default: 0] += 1 }
        }
        keys = documentFrequency.filter { $0.value >= Int32(minCount) }.keys.sorted()
        var rowOfKey = [UInt64: Int32](minimumCapacity: keys.count)
        for (row, key) in keys.enumerated() { rowOfKey[key] = Int32(row) }
        self.rowOfKey = rowOfKey
        seenCount = documentFrequency.count
    }

    /// The lines' rows: their known features, each at the line's scale.
    func rows(_ features: [[UInt64]], _ lines: [Int], lengthNormalization: Double) -> SparseRows {
        var rows = SparseRows(featureCount: keys.count)
        for line in lines {
            let columns = features[line].compactMap { rowOfKey[$0] }.sorted()
            rows.append(columns: columns,
                        scale: Double(LinearWeights.featureScale(count: columns.count, exponent: lengthNormalization)))
        }
        return rows
    }

    /// A fit over this vocabulary moved onto another: each key keeps its
    /// weights, keys new to `other` start at zero, the biases are kept.
    func carry(_ fit: LogisticRegression.Fit, to other: Vocabulary) -> LogisticRegression.Fit {
        let k = fit.bias.count
        var weights = [Double](repeating: 0, count: other.keys.count * k)
        for (newRow, key) in other.keys.enumerated() {
            guard let oldRow = rowOfKey[key] else { continue }
            for c in 0..<k { weights[newRow * k + c] = fit.weights[Int(oldRow) * k + c] }
        }
        return LogisticRegression.Fit(weights: weights, bias: fit.bias, iterations: 0, loss: fit.loss)
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
