/// Precision, recall and F1 of one label.
public struct LabelMetrics: Codable, Sendable, Equatable {
    public var support: Int
    public var predicted: Int
    public var correct: Int
    public var precision: Double
    public var recall: Double
    public var f1: Double

    public init(support: Int, predicted: Int, correct: Int) {
        self.support = support
        self.predicted = predicted
        self.correct = correct
        precision = predicted == 0 ? 0 : Double(correct) / Double(predicted)
        recall = support == 0 ? 0 : Double(correct) / Double(support)
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}

/// A single-label head (sentiment, intent) on a gold set.
public struct ClassReport: Codable, Sendable, Equatable {
    public var lines: Int
    public var accuracy: Double
    public var macroF1: Double
    public var ece: Double
    public var perLabel: [String: LabelMetrics]
    /// Label order of the confusion matrix rows (gold) and columns (predicted).
    public var labels: [String]
    public var confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case lines, accuracy, ece, labels, confusion
        case macroF1 = "macro_f1"
        case perLabel = "per_label"
    }
}

/// The multi-label needs on a gold set.
public struct NeedsReport: Codable, Sendable, Equatable {
    public var lines: Int
    public var microPrecision: Double
    public var microRecall: Double
    public var microF1: Double
    public var macroF1: Double
    public var hardshipRecall: Double?
    /// Share of lines with no gold need that get at least one predicted need.
    public var falseAlarmRate: Double?
    public var linesWithoutNeed: Int
    public var ece: Double
    public var perLabel: [String: LabelMetrics]

    enum CodingKeys: String, CodingKey {
        case lines, ece
        case microPrecision = "micro_precision"
        case microRecall = "micro_recall"
        case microF1 = "micro_f1"
        case macroF1 = "macro_f1"
        case hardshipRecall = "hardship_recall"
        case falseAlarmRate = "false_alarm_rate"
        case linesWithoutNeed = "lines_without_need"
        case perLabel = "per_label"
    }
}

/// Headline figures for the lines of one slice (a hard-case category).
public struct SliceReport: Codable, Sendable, Equatable {
    public var lines: Int
    public var needsMicroF1: Double?
    public var falseAlarmRate: Double?
    public var hardshipRecall: Double?
    public var sentimentAccuracy: Double?
    public var intentAccuracy: Double?

    enum CodingKeys: String, CodingKey {
        case lines
        case needsMicroF1 = "needs_micro_f1"
        case falseAlarmRate = "false_alarm_rate"
        case hardshipRecall = "hardship_recall"
        case sentimentAccuracy = "sentiment_accuracy"
        case intentAccuracy = "intent_accuracy"
    }
}

/// Everything `xinsheng eval` measures on a gold file.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var gold: String
    public var modelVersion: String
    public var lines: Int
    public var skippedAgentTurns: Int
    public var sentiment: ClassReport?
    public var intent: ClassReport?
    public var needs: NeedsReport?
    public var emotions: [String: LabelMetrics]?
    public var slices: [String: SliceReport]?
    /// Set for conversation gold files: how they were scored.
    public var conversationScoring: String?
    /// End-of-conversation needs after aggregation, when a gold file of them was found.
    public var conversations: ConversationEndReport?

    enum CodingKeys: String, CodingKey {
        case gold, lines, sentiment, intent, needs, emotions, slices, conversations
        case modelVersion = "model_version"
        case skippedAgentTurns = "skipped_agent_turns"
        case conversationScoring = "conversation_scoring"
    }

    /// The figures `meta.json` keeps.
    public var summary: MetricsSummary {
        var summary = MetricsSummary(lines: lines)
        summary.needsMicroF1 = needs?.microF1
        summary.needsMacroF1 = needs?.macroF1
        summary.hardshipRecall = needs?.hardshipRecall
        summary.falseAlarmRate = needs?.falseAlarmRate
        summary.sentimentAccuracy = sentiment?.accuracy
        summary.sentimentMacroF1 = sentiment?.macroF1
        summary.intentAccuracy = intent?.accuracy
        summary.intentMacroF1 = intent?.macroF1
        summary.sentimentECE = sentiment?.ece
        summary.intentECE = intent?.ece
        return summary
    }
}

/// A binary (negative/positive) sentiment set, as the public review sets are.
public struct BinarySentimentReport: Codable, Sendable, Equatable {
    public var gold: String
    public var modelVersion: String
    public var lines: Int
    public var accuracy: Double
    public var macroF1: Double
    public var perLabel: [String: LabelMetrics]
    /// Lines the three-way model called neutral (decided by P(positive) ≥ P(negative)).
    public var neutralPredictions: Int
    public var decisionRule: String

    enum CodingKeys: String, CodingKey {
        case gold, lines, accuracy
        case modelVersion = "model_version"
        case macroF1 = "macro_f1"
        case perLabel = "per_label"
        case neutralPredictions = "neutral_predictions"
        case decisionRule = "decision_rule"
    }
}

/// Conversations scored by the needs held at their end (after aggregation)
/// against a gold file of end-of-conversation needs.
public struct ConversationEndReport: Codable, Sendable, Equatable {
    public var conversations: Int
    public var microPrecision: Double
    public var microRecall: Double
    public var microF1: Double
    public var macroF1: Double
    public var hardshipRecall: Double?
    /// Share of conversations whose end set is exactly right.
    public var exactMatch: Double
    public var perLabel: [String: LabelMetrics]
    /// Conversations with no end-of-conversation gold line (not scored).
    public var missingGold: [String]

    enum CodingKeys: String, CodingKey {
        case conversations
        case microPrecision = "micro_precision"
        case microRecall = "micro_recall"
        case microF1 = "micro_f1"
        case macroF1 = "macro_f1"
        case hardshipRecall = "hardship_recall"
        case exactMatch = "exact_match"
        case perLabel = "per_label"
        case missingGold = "missing_gold"
    }
}
