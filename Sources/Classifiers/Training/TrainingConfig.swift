/// Settings of `xinsheng train`, read from `config/training.yaml`.
///
/// Training is deterministic: full-batch L-BFGS over features in a fixed
/// order, a hidden layer whose random start, line order and dropout come
/// from a fixed seed, and a train/dev split by a stable hash of each line's
/// id (of the conversation for turns). The same corpus and settings give the
/// same model.
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// Share of lines (by hash of id) held out as the dev split, in percent.
    public var devPercent: Int = 15
    /// A feature must occur in at least this many training lines to get a weight.
    public var minFeatureCount: Int = 2
    /// L2 strengths tried for every head; each head keeps the one with the
    /// lowest dev log-loss.
    public var l2Grid: [Double] = [3e-5, 1e-4, 3e-4]
    public var maxIterations: Int = 300
    /// How much a positive line weighs against a negative one when fitting a need or emotion.
    public var needPositiveWeight: Double = 2
    public var emotionPositiveWeight: Double = 1.5
    /// Decision thresholds for needs and emotions are searched in this range on dev.
    public var thresholdRange: ClosedRange<Double> = 0.2...0.8
    /// F-beta used to pick the financial_hardship threshold (recall matters most:
    /// a missed hardship means credit offered to someone who cannot pay).
    public var hardshipBeta: Double = 2
    /// The lowest threshold searched for financial_hardship; nil: the low end
    /// of `thresholdRange`, like every other need.
    public var hardshipThresholdFloor: Double? = nil
    /// financial_hardship's threshold is the highest whose F-beta on dev is
    /// within this of the best (0: the best itself). Its F2 optimum is flat,
    /// and without a tolerance the choice wanders along it from one corpus
    /// to the next.
    public var hardshipThresholdTolerance: Double = 0
    /// When set, financial_hardship's threshold is instead the highest of its
    /// grid whose dev recall is at least this (the grid's lowest when none
    /// reaches it): the operating point is fixed by the recall the bank
    /// requires, not by where a flat F-beta curve happens to peak.
    public var hardshipRecallFloor: Double? = nil
    /// How many times more the L2 penalty costs a negative weight than a
    /// positive one in the need heads' linear models (nil: 1, plain L2). Above
    /// 1, a need's score is built mostly from evidence for it, and the words of
    /// an unrelated errand in the same line ("密码怎么改") pull it down less;
    /// the cue-scope features and the need gate still carry "not a need".
    public var needNegativeWeightPenalty: Double? = nil
    /// The need gate's threshold is the highest whose needs micro-F1 on dev is
    /// within this of the best (the optimum is flat, and of two thresholds
    /// that score alike the higher gives fewer false alarms).
    public var needGateTolerance: Double = 0.005
    /// Whether customer turns of conversations train the per-text models.
    /// Off by default: a turn's labels may come from the turns before (对 →
    /// repayment), which teaches the per-text models noise.
    public var trainOnConversationTurns = false
    /// Features of a text with n distinct known features have value
    /// (32 / n)^length_normalization; 0 means plain presence (1).
    public var lengthNormalization: Double = 0
    /// Naive-Bayes log-count-ratio scaling of the L2 penalty of the sentiment
    /// and intent heads (0: plain L2; 1: the NB-LR reparametrisation, features
    /// that separate a head's classes in the training counts are penalised less).
    public var nbStrength: Double = 0
    /// The same for the need and emotion heads.
    public var binaryNBStrength: Double = 0
    /// Whether the sentiment decision gets per-label offsets fitted on dev for
    /// the best macro-F1 (see `Calibration.sentimentOffsets`).
    public var sentimentOffsets = false
    /// The hidden layer mixed into the sentiment, intent and need scores
    /// (`HiddenLayer`); 0 units: none, the model is linear only.
    public var hiddenLayer = HiddenLayerConfig()
    /// Whether the saved weights are fitted again on every line, train and
    /// dev together, once the dev split has chosen each head's L2 strength
    /// and fitted the calibration and thresholds (which the refitted weights
    /// keep). The dev metrics stored with the model stay those of the
    /// train-only fit, the last figures measured on lines it had not seen.
    public var refitOnAllLines = false
    /// L-BFGS iterations for each head's refit on all lines (it starts from
    /// the head's train-only fit, so it needs fewer than `maxIterations`).
    public var refitMaxIterations = 50
    /// Whether each head's L2 strengths are fitted in turn, strongest first,
    /// each starting from the fit before (a warm-started regularisation path),
    /// instead of each from zero. The optimum of each strength is the same;
    /// L-BFGS reaches it in fewer steps.
    public var l2PathWarmStart = false
    /// With `l2PathWarmStart`, whether a head's path stops at the first
    /// strength whose dev loss is higher than the one before: the weaker
    /// strengths left (the slowest fits) are not fitted. Where dev loss along
    /// the grid falls to one minimum and rises after it, the same strength is
    /// chosen and the model is the same.
    public var l2PathStopWhenWorse = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case devPercent = "dev_percent"
        case minFeatureCount = "min_feature_count"
        case l2Grid = "l2_grid"
        case maxIterations = "max_iterations"
        case needPositiveWeight = "need_positive_weight"
        case emotionPositiveWeight = "emotion_positive_weight"
        case thresholdRange = "threshold_range"
        case hardshipBeta = "hardship_beta"
        case hardshipThresholdFloor = "hardship_threshold_floor"
        case hardshipThresholdTolerance = "hardship_threshold_tolerance"
        case hardshipRecallFloor = "hardship_recall_floor"
        case needNegativeWeightPenalty = "need_negative_weight_penalty"
        case needGateTolerance = "need_gate_tolerance"
        case trainOnConversationTurns = "train_on_conversation_turns"
        case lengthNormalization = "length_normalization"
        case nbStrength = "nb_strength"
        case binaryNBStrength = "binary_nb_strength"
        case sentimentOffsets = "sentiment_offsets"
        case hiddenLayer = "hidden_layer"
        case refitOnAllLines = "refit_on_all_lines"
        case refitMaxIterations = "refit_max_iterations"
        case l2PathWarmStart = "l2_path_warm_start"
        case l2PathStopWhenWorse = "l2_path_stop_when_worse"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrainingConfig()
        devPercent = try container.decodeIfPresent(Int.self, forKey: .devPercent) ?? defaults.devPercent
        minFeatureCount = try container.decodeIfPresent(Int.self, forKey: .minFeatureCount) ?? defaults.minFeatureCount
        l2Grid = try container.decodeIfPresent([Double].self, forKey: .l2Grid) ?? defaults.l2Grid
        maxIterations = try container.decodeIfPresent(Int.self, forKey: .maxIterations) ?? defaults.maxIterations
        needPositiveWeight = try container.decodeIfPresent(Double.self, forKey: .needPositiveWeight) ?? defaults.needPositiveWeight
        emotionPositiveWeight = try container.decodeIfPresent(Double.self, forKey: .emotionPositiveWeight) ?? defaults.emotionPositiveWeight
        if let range = try container.decodeIfPresent([Double].self, forKey: .thresholdRange) {
            guard range.count == 2, range[0] <= range[1] else {
                throw TrainingConfigError.invalid(key: "threshold_range", reason: "two numbers, low then high")
            }
            thresholdRange = range[0]...range[1]
        }
        hardshipBeta = try container.decodeIfPresent(Double.self, forKey: .hardshipBeta) ?? defaults.hardshipBeta
        hardshipThresholdFloor = try container.decodeIfPresent(Double.self, forKey: .hardshipThresholdFloor)
        hardshipThresholdTolerance = try container.decodeIfPresent(Double.self, forKey: .hardshipThresholdTolerance)
            ?? defaults.hardshipThresholdTolerance
        hardshipRecallFloor = try container.decodeIfPresent(Double.self, forKey: .hardshipRecallFloor)
        needNegativeWeightPenalty = try container.decodeIfPresent(Double.self, forKey: .needNegativeWeightPenalty)
        needGateTolerance = try container.decodeIfPresent(Double.self, forKey: .needGateTolerance) ?? defaults.needGateTolerance
        trainOnConversationTurns = try container.decodeIfPresent(Bool.self, forKey: .trainOnConversationTurns)
            ?? defaults.trainOnConversationTurns
        lengthNormalization = try container.decodeIfPresent(Double.self, forKey: .lengthNormalization) ?? defaults.lengthNormalization
        nbStrength = try container.decodeIfPresent(Double.self, forKey: .nbStrength) ?? defaults.nbStrength
        binaryNBStrength = try container.decodeIfPresent(Double.self, forKey: .binaryNBStrength) ?? defaults.binaryNBStrength
        sentimentOffsets = try container.decodeIfPresent(Bool.self, forKey: .sentimentOffsets) ?? defaults.sentimentOffsets
        hiddenLayer = try container.decodeIfPresent(HiddenLayerConfig.self, forKey: .hiddenLayer) ?? defaults.hiddenLayer
        refitOnAllLines = try container.decodeIfPresent(Bool.self, forKey: .refitOnAllLines) ?? defaults.refitOnAllLines
        refitMaxIterations = try container.decodeIfPresent(Int.self, forKey: .refitMaxIterations) ?? defaults.refitMaxIterations
        l2PathWarmStart = try container.decodeIfPresent(Bool.self, forKey: .l2PathWarmStart) ?? defaults.l2PathWarmStart
        l2PathStopWhenWorse = try container.decodeIfPresent(Bool.self, forKey: .l2PathStopWhenWorse) ?? defaults.l2PathStopWhenWorse
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(devPercent, forKey: .devPercent)
        try container.encode(minFeatureCount, forKey: .minFeatureCount)
        try container.encode(l2Grid, forKey: .l2Grid)
        try container.encode(maxIterations, forKey: .maxIterations)
        try container.encode(needPositiveWeight, forKey: .needPositiveWeight)
        try container.encode(emotionPositiveWeight, forKey: .emotionPositiveWeight)
        try container.encode([thresholdRange.lowerBound, thresholdRange.upperBound], forKey: .thresholdRange)
        try container.encode(hardshipBeta, forKey: .hardshipBeta)
        try container.encodeIfPresent(hardshipThresholdFloor, forKey: .hardshipThresholdFloor)
        if hardshipThresholdTolerance != 0 { try container.encode(hardshipThresholdTolerance, forKey: .hardshipThresholdTolerance) }
        try container.encodeIfPresent(hardshipRecallFloor, forKey: .hardshipRecallFloor)
        try container.encodeIfPresent(needNegativeWeightPenalty, forKey: .needNegativeWeightPenalty)
        try container.encode(needGateTolerance, forKey: .needGateTolerance)
        try container.encode(trainOnConversationTurns, forKey: .trainOnConversationTurns)
        try container.encode(lengthNormalization, forKey: .lengthNormalization)
        try container.encode(nbStrength, forKey: .nbStrength)
        try container.encode(binaryNBStrength, forKey: .binaryNBStrength)
        try container.encode(sentimentOffsets, forKey: .sentimentOffsets)
        try container.encode(hiddenLayer, forKey: .hiddenLayer)
        // Written only when on, so the settings (and their hash) of models
        // trained before the key existed read the same.
        if refitOnAllLines {
            try container.encode(refitOnAllLines, forKey: .refitOnAllLines)
            try container.encode(refitMaxIterations, forKey: .refitMaxIterations)
        }
        if l2PathWarmStart { try container.encode(l2PathWarmStart, forKey: .l2PathWarmStart) }
        if l2PathStopWhenWorse { try container.encode(l2PathStopWhenWorse, forKey: .l2PathStopWhenWorse) }
    }

    /// Refuses settings that cannot train a sensible model.
    public func validate() throws {
        if !(1...50).contains(devPercent) {
            throw TrainingConfigError.invalid(key: "dev_percent", reason: "between 1 and 50")
        }
        if minFeatureCount < 1 { throw TrainingConfigError.invalid(key: "min_feature_count", reason: "at least 1") }
        if l2Grid.isEmpty || l2Grid.contains(where: { !($0 > 0) }) {
            throw TrainingConfigError.invalid(key: "l2_grid", reason: "one or more positive numbers")
        }
        if maxIterations < 1 { throw TrainingConfigError.invalid(key: "max_iterations", reason: "at least 1") }
        if refitMaxIterations < 1 { throw TrainingConfigError.invalid(key: "refit_max_iterations", reason: "at least 1") }
        if !(needPositiveWeight > 0) || !(emotionPositiveWeight > 0) {
            throw TrainingConfigError.invalid(key: "need_positive_weight", reason: "positive numbers")
        }
        if thresholdRange.lowerBound <= 0 || thresholdRange.upperBound >= 1 {
            throw TrainingConfigError.invalid(key: "threshold_range", reason: "inside (0, 1)")
        }
        if !(0...1).contains(lengthNormalization) {
            throw TrainingConfigError.invalid(key: "length_normalization", reason: "between 0 and 1")
        }
        if !(0...1).contains(nbStrength) { throw TrainingConfigError.invalid(key: "nb_strength", reason: "between 0 and 1") }
        if !(0...1).contains(binaryNBStrength) {
            throw TrainingConfigError.invalid(key: "binary_nb_strength", reason: "between 0 and 1")
        }
        if !(hardshipBeta > 0) { throw TrainingConfigError.invalid(key: "hardship_beta", reason: "a positive number") }
        if let floor = hardshipThresholdFloor, !(floor > 0 && floor <= thresholdRange.upperBound) {
            throw TrainingConfigError.invalid(key: "hardship_threshold_floor",
                                              reason: "above 0 and not above the high end of threshold_range")
        }
        if !(0...0.1).contains(hardshipThresholdTolerance) {
            throw TrainingConfigError.invalid(key: "hardship_threshold_tolerance", reason: "between 0 and 0.1")
        }
        if let floor = hardshipRecallFloor, !(floor > 0 && floor <= 1) {
            throw TrainingConfigError.invalid(key: "hardship_recall_floor", reason: "above 0 and at most 1")
        }
        if let penalty = needNegativeWeightPenalty, !(penalty >= 1 && penalty <= 1000) {
            throw TrainingConfigError.invalid(key: "need_negative_weight_penalty", reason: "between 1 and 1000")
        }
        if !(0...0.1).contains(needGateTolerance) {
            throw TrainingConfigError.invalid(key: "need_gate_tolerance", reason: "between 0 and 0.1")
        }
        if l2PathStopWhenWorse && !l2PathWarmStart {
            throw TrainingConfigError.invalid(key: "l2_path_stop_when_worse", reason: "only with l2_path_warm_start: true")
        }
        try hiddenLayer.validate()
    }
}

/// Settings of the hidden layer (`hidden_layer:` in `config/training.yaml`).
public struct HiddenLayerConfig: Codable, Sendable, Equatable {
    /// Hidden units; 0 trains no hidden layer.
    public var units = 0
    /// Passes over the training lines.
    public var epochs = 8
    /// AdaGrad's step size.
    public var learningRate = 0.05
    /// Share of hidden units dropped from each training line's forward pass.
    public var dropout = 0.3
    /// A feature needs this many training lines to get an embedding (rarer
    /// ones only memorise lines, and every row costs `units` bytes).
    public var minFeatureCount = 8
    /// Weight of the hidden scores against the linear ones.
    public var mix = 0.5
    /// Seeds the initial weights, the order of lines and the dropout.
    public var seed: UInt64 = 1
    /// Whether the layer also has an output for the need gate ("this text
    /// states some need"), mixed into the gate's linear score.
    public var feedsGate = false

    public init() {}

    /// The layer's outputs: the layout's sentiments, intents and needs, then
    /// the need gate when it feeds it.
    func outputCount(in layout: OutputLayout) -> Int {
        layout.needRange.upperBound + (feedsGate ? 1 : 0)
    }

    enum CodingKeys: String, CodingKey {
        case units, epochs, dropout, mix, seed
        case learningRate = "learning_rate"
        case minFeatureCount = "min_feature_count"
        case feedsGate = "feeds_gate"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = HiddenLayerConfig()
        units = try container.decodeIfPresent(Int.self, forKey: .units) ?? defaults.units
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        learningRate = try container.decodeIfPresent(Double.self, forKey: .learningRate) ?? defaults.learningRate
        dropout = try container.decodeIfPresent(Double.self, forKey: .dropout) ?? defaults.dropout
        minFeatureCount = try container.decodeIfPresent(Int.self, forKey: .minFeatureCount) ?? defaults.minFeatureCount
        mix = try container.decodeIfPresent(Double.self, forKey: .mix) ?? defaults.mix
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        feedsGate = try container.decodeIfPresent(Bool.self, forKey: .feedsGate) ?? defaults.feedsGate
    }

    func validate() throws {
        if !(0...1024).contains(units) { throw TrainingConfigError.invalid(key: "hidden_layer.units", reason: "between 0 and 1024") }
        if units == 0 { return }
        if !(1...100).contains(epochs) { throw TrainingConfigError.invalid(key: "hidden_layer.epochs", reason: "between 1 and 100") }
        if !(learningRate > 0 && learningRate <= 1) {
            throw TrainingConfigError.invalid(key: "hidden_layer.learning_rate", reason: "a number in (0, 1]")
        }
        if !(0..<1).contains(dropout) { throw TrainingConfigError.invalid(key: "hidden_layer.dropout", reason: "in [0, 1)") }
        if minFeatureCount < 1 { throw TrainingConfigError.invalid(key: "hidden_layer.min_feature_count", reason: "at least 1") }
        if !(mix > 0 && mix <= 1) { throw TrainingConfigError.invalid(key: "hidden_layer.mix", reason: "a number in (0, 1]") }
    }
}

public enum TrainingConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(key: String, reason: String)
    case malformed(file: String, reason: String)

    public var code: String {
        switch self {
        case .invalid: "training_config.invalid"
        case .malformed: "training_config.malformed"
        }
    }

    public var description: String {
        switch self {
        case .invalid(let key, let reason): "training setting \(key) must be \(reason) (训练配置无效)"
        case .malformed(let file, let reason): "\(file): \(reason) (训练配置格式错误)"
        }
    }
}
