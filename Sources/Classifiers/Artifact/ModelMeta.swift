import Foundation

/// `meta.json` of a model directory: what the model is, what it was trained
/// on and how, and how well it did on the dev split.
public struct ModelMeta: Codable, Sendable, Equatable {
    /// The model format this code reads: v4 added the hidden layer
    /// (`hidden.bin`, optional) to the linear weights of v3.
    public static let currentFormat = "xinsheng-hybrid.v4"

    /// Identifies this trained model (format + hash of the weights).
    public var modelVersion: String
    public var format: String
    /// `TaxonomyContract.fingerprint` of the labels the model was trained on.
    public var taxonomyFingerprint: String
    /// Fingerprint of the lexicons the features were extracted with.
    public var lexiconFingerprint: String
    /// `FeatureExtractor.version`.
    public var features: String
    /// Versions of the text pipeline stages at training time.
    public var pipeline: [String: String]
    public var corpus: CorpusSummary
    public var config: TrainingConfig
    /// FNV-1a of the training settings as JSON.
    public var configHash: String
    public var trainedAt: String
    public var trainingSeconds: Double
    public var featureCount: Int
    /// The L2 strength chosen for each head.
    public var chosenL2: [String: Double]
    public var devMetrics: MetricsSummary

    public struct CorpusSummary: Codable, Sendable, Equatable {
        /// FNV-1a over the corpus files' paths and bytes.
        public var fingerprint: String
        public var files: Int
        public var trainLines: Int
        public var devLines: Int

        public init(fingerprint: String, files: Int, trainLines: Int, devLines: Int) {
            self.fingerprint = fingerprint
            self.files = files
            self.trainLines = trainLines
            self.devLines = devLines
        }

        enum CodingKeys: String, CodingKey {
            case fingerprint, files
            case trainLines = "train_lines"
            case devLines = "dev_lines"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, features, pipeline, corpus, config
        case modelVersion = "model_version"
        case taxonomyFingerprint = "taxonomy_fingerprint"
        case lexiconFingerprint = "lexicon_fingerprint"
        case configHash = "config_hash"
        case trainedAt = "trained_at"
        case trainingSeconds = "training_seconds"
        case featureCount = "feature_count"
        case chosenL2 = "chosen_l2"
        case devMetrics = "dev_metrics"
    }
}

/// The headline figures of an evaluation, as stored in `meta.json`.
public struct MetricsSummary: Codable, Sendable, Equatable {
    public var lines: Int
    public var needsMicroF1: Double?
    public var needsMacroF1: Double?
    public var hardshipRecall: Double?
    public var falseAlarmRate: Double?
    public var sentimentAccuracy: Double?
    public var sentimentMacroF1: Double?
    public var intentAccuracy: Double?
    public var intentMacroF1: Double?
    public var sentimentECE: Double?
    public var intentECE: Double?

    public init(lines: Int) { self.lines = lines }

    enum CodingKeys: String, CodingKey {
        case lines
        case needsMicroF1 = "needs_micro_f1"
        case needsMacroF1 = "needs_macro_f1"
        case hardshipRecall = "hardship_recall"
        case falseAlarmRate = "false_alarm_rate"
        case sentimentAccuracy = "sentiment_accuracy"
        case sentimentMacroF1 = "sentiment_macro_f1"
        case intentAccuracy = "intent_accuracy"
        case intentMacroF1 = "intent_macro_f1"
        case sentimentECE = "sentiment_ece"
        case intentECE = "intent_ece"
    }
}
