import Foundation

/// Everything the report shows about one mining run, accumulated row by row
/// in input order. It is checkpointed with the tags (as JSON), so a resumed
/// run ends with exactly the summary of an uninterrupted one.
public struct MiningSummary: Codable, Sendable, Equatable {
    /// How the run was started (shown in the report).
    public struct Parameters: Codable, Sendable, Equatable {
        public var files: [String]
        public var format: String
        /// Field mapping: "text", "id", "customer", "time" → source field name.
        public var mapping: [String: String]
        /// "K/N" or nil for the whole input.
        public var shard: String?
        public var tenant: String
        public var modelVersion: String
        public var lexiconVersion: String
        public var workers: Int
        public var startedAt: Date

        public init(files: [String], format: String, mapping: [String: String], shard: String?, tenant: String,
                    modelVersion: String, lexiconVersion: String, workers: Int, startedAt: Date) {
            self.files = files
            self.format = format
            self.mapping = mapping
            self.shard = shard
            self.tenant = tenant
            self.modelVersion = modelVersion
            self.lexiconVersion = lexiconVersion
            self.workers = workers
            self.startedAt = startedAt
        }

        enum CodingKeys: String, CodingKey {
            case files, format, mapping, shard, tenant, workers
            case modelVersion = "model_version"
            case lexiconVersion = "lexicon_version"
            case startedAt = "started_at"
        }
    }

    /// One masked example text for a need.
    public struct Example: Codable, Sendable, Equatable {
        /// `file:line`.
        public var source: String
        /// The masked text (PII replaced), at most 200 characters.
        public var maskedText: String
        public var confidence: Double
        /// Masked evidence words, to highlight in the example.
        public var evidence: [String]
        /// Orders examples: the smallest keys are kept (a stable hash of the source).
        public var sampleKey: UInt64

        public init(source: String, maskedText: String, confidence: Double, evidence: [String], sampleKey: UInt64) {
            self.source = source
            self.maskedText = maskedText
            self.confidence = confidence
            self.evidence = evidence
            self.sampleKey = sampleKey
        }

        enum CodingKeys: String, CodingKey {
            case source, confidence, evidence
            case maskedText = "masked_text"
            case sampleKey = "sample_key"
        }
    }

    public var parameters: Parameters
    /// Records read from the input (all shards' rows are read; see `rowsOtherShards`).
    public var rowsRead = 0
    public var rowsAnalysed = 0
    public var rowsRejected = 0
    /// Rows that belong to another shard (`--shard K/N`), skipped by design.
    public var rowsOtherShards = 0
    /// Reject code (`ArchiveRowError.code`) → rows.
    public var rejectsByReason: [String: Int] = [:]
    /// Need id → analysed rows showing it.
    public var needRows: [String: Int] = [:]
    /// Need id → sum of the confidences of those rows (mean = sum / rows).
    public var needConfidenceSum: [String: Double] = [:]
    /// Analysed rows with no need.
    public var rowsWithoutNeed = 0
    /// Sentiment id → rows.
    public var sentiments: [String: Int] = [:]
    /// Emotion id → rows (a row may show several emotions, or none).
    public var emotions: [String: Int] = [:]
    /// Intent id → rows.
    public var intents: [String: Int] = [:]
    /// Month ("2025-03") → analysed rows with a readable time field.
    public var rowsByMonth: [String: Int] = [:]
    /// Month → need id → rows.
    public var needsByMonth: [String: [String: Int]] = [:]
    /// Analysed rows whose time field was missing or unreadable (not in the time chart).
    public var rowsWithoutTime = 0
    /// Need id → masked evidence phrase → rows. Pruned to the most frequent phrases.
    public var evidencePhrases: [String: [String: Int]] = [:]
    /// Need id → up to `examplesPerNeed` examples, smallest `sampleKey` first.
    public var examples: [String: [Example]] = [:]
    /// Rows that carried a customer id (their needs were written as tags).
    public var rowsWithCustomer = 0
    /// Need-tag writes that changed a profile, and the feed events they published.
    public var tagWrites = 0
    public var feedEvents = 0
    /// Seconds spent, summed over the run's sessions (a resumed run adds up).
    public var elapsedSeconds: Double = 0
    /// Times the run was resumed after an interruption.
    public var resumes = 0
    /// True once every row has been read and committed.
    public var finished = false

    public init(parameters: Parameters) {
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case parameters, sentiments, emotions, intents, examples, resumes, finished
        case rowsRead = "rows_read"
        case rowsAnalysed = "rows_analysed"
        case rowsRejected = "rows_rejected"
        case rowsOtherShards = "rows_other_shards"
        case rejectsByReason = "rejects_by_reason"
        case needRows = "need_rows"
        case needConfidenceSum = "need_confidence_sum"
        case rowsWithoutNeed = "rows_without_need"
        case rowsByMonth = "rows_by_month"
        case needsByMonth = "needs_by_month"
        case rowsWithoutTime = "rows_without_time"
        case evidencePhrases = "evidence_phrases"
        case rowsWithCustomer = "rows_with_customer"
        case tagWrites = "tag_writes"
        case feedEvents = "feed_events"
        case elapsedSeconds = "elapsed_seconds"
    }

    /// Every record read is accounted for exactly once.
    public var isBalanced: Bool { rowsRead == rowsAnalysed + rowsRejected + rowsOtherShards }
}
