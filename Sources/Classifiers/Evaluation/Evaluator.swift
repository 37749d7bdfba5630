import Taxonomy

/// Scores predictions against gold lines. Lines are scored on the labels
/// they carry: a sentiment-only line counts for sentiment only.
public struct Evaluator: Sendable {
    public var calibrationBins = 10

    public init() {}

    public func evaluate(_ pairs: [(gold: CorpusLine, prediction: Prediction)], gold: String, modelVersion: String,
                         slices: [String: [String]]? = nil, skippedAgentTurns: Int = 0) -> EvaluationReport {
        var report = EvaluationReport(gold: gold, modelVersion: modelVersion, lines: pairs.count, skippedAgentTurns: skippedAgentTurns)
        report.sentiment = classReport(pairs.compactMap { pair in
            pair.gold.sentiment.map { ($0, pair.prediction.sentiment.label.rawValue, pair.prediction.sentiment.confidence) }
        }, labels: Sentiment.allCases.map(\.rawValue))
        report.intent = classReport(pairs.compactMap { pair in
            pair.gold.intent.map { ($0, pair.prediction.intent.label.rawValue, pair.prediction.intent.confidence) }
        }, labels: Intent.allCases.map(\.rawValue))
        report.needs = needsReport(pairs.filter { $0.gold.needs != nil })
        let withEmotions = pairs.filter { $0.gold.emotions != nil }
        if !withEmotions.isEmpty {
            var emotions: [String: LabelMetrics] = [:]
            for emotion in Emotion.allCases {
                emotions[emotion.rawValue] = labelMetrics(withEmotions.map {
                    ($0.gold.emotions!.contains(emotion.rawValue), $0.prediction.emotions.contains { $0.label == emotion })
                })
            }
            report.emotions = emotions
        }
        if let slices {
            var bySlice: [String: [(gold: CorpusLine, prediction: Prediction)]] = [:]
            for pair in pairs {
                for category in slices[pair.gold.id] ?? [] { bySlice[category, default: []].append(pair) }
            }
            report.slices = bySlice.mapValues(sliceReport)
        }
        return report
    }

    /// Binary sentiment: a line is positive when P(positive) ≥ P(negative).
    public func evaluateBinarySentiment(_ pairs: [(gold: String, prediction: Prediction)], gold: String,
                                        modelVersion: String) -> BinarySentimentReport {
        let positive = Sentiment.allCases.firstIndex(of: .positive)!
        let negative = Sentiment.allCases.firstIndex(of: .negative)!
        var decided: [(gold: String, predicted: String)] = []
        var neutral = 0
        for pair in pairs {
            let probabilities = pair.prediction.sentimentProbabilities
            decided.append((pair.gold, probabilities[positive] >= probabilities[negative] ? "positive" : "negative"))
            if pair.prediction.sentiment.label == .neutral { neutral += 1 }
        }
        var perLabel: [String: LabelMetrics] = [:]
        for label in ["negative", "positive"] {
            perLabel[label] = labelMetrics(decided.map { ($0.gold == label, $0.predicted == label) })
        }
        let correct = decided.filter { $0.gold == $0.predicted }.count
        return BinarySentimentReport(
            gold: gold, modelVersion: modelVersion, lines: pairs.count,
            accuracy: pairs.isEmpty ? 0 : Double(correct) / Double(pairs.count),
            macroF1: (perLabel["negative"]!.f1 + perLabel["positive"]!.f1) / 2,
            perLabel: perLabel, neutralPredictions: neutral,
            decisionRule: "positive when P(positive) >= P(negative); neutral is ignored")
    }

    /// Scores end-of-conversation need sets: one (gold, predicted) pair per conversation.
    public func evaluateConversationEnds(_ pairs: [(gold: Set<String>, predicted: Set<String>)],
                                         missingGold: [String] = []) -> ConversationEndReport {
        var perLabel: [String: LabelMetrics] = [:]
        var gold = 0, predicted = 0, correct = 0
        for need in Need.allCases.map(\.rawValue) {
            let metrics = labelMetrics(pairs.map { ($0.gold.contains(need), $0.predicted.contains(need)) })
            perLabel[need] = metrics
            gold += metrics.support
            predicted += metrics.predicted
            correct += metrics.correct
        }
        let micro = LabelMetrics(support: gold, predicted: predicted, correct: correct)
        // In the taxonomy's order, so the macro average sums the same way every run.
        let present = Need.allCases.compactMap { perLabel[$0.rawValue] }.filter { $0.support > 0 || $0.predicted > 0 }
        let hardship = perLabel[Need.financialHardship.rawValue]!
        return ConversationEndReport(
            conversations: pairs.count, microPrecision: micro.precision, microRecall: micro.recall, microF1: micro.f1,
            macroF1: present.isEmpty ? 0 : present.map(\.f1).reduce(0, +) / Double(present.count),
            hardshipRecall: hardship.support > 0 ? hardship.recall : nil,
            exactMatch: pairs.isEmpty ? 0 : Double(pairs.filter { $0.gold == $0.predicted }.count) / Double(pairs.count),
            perLabel: perLabel, missingGold: missingGold)
    }

    // MARK: - Pieces

    func labelMetrics(_ decisions: [(gold: Bool, predicted: Bool)]) -> LabelMetrics {
        LabelMetrics(support: decisions.filter(\.gold).count, predicted: decisions.filter(\.predicted).count,
                     correct: decisions.filter { $0.gold && $0.predicted }.count)
    }

    func classReport(_ rows: [(gold: String, predicted: String, confidence: Double)], labels: [String]) -> ClassReport? {
        guard !rows.isEmpty else { return nil }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for row in rows {
            if let gold = index[row.gold], let predicted = index[row.predicted] { confusion[gold][predicted] += 1 }
        }
        var perLabel: [String: LabelMetrics] = [:]
        for label in labels {
            perLabel[label] = labelMetrics(rows.map { ($0.gold == label, $0.predicted == label) })
        }
        let present = labels.filter { perLabel[$0]!.support > 0 || perLabel[$0]!.predicted > 0 }
        let macro = present.isEmpty ? 0 : present.map { perLabel[$0]!.f1 }.reduce(0, +) / Double(present.count)
        let correct = rows.filter { $0.gold == $0.predicted }.count
        return ClassReport(lines: rows.count, accuracy: Double(correct) / Double(rows.count), macroF1: macro,
                           ece: expectedCalibrationError(rows.map { ($0.confidence, $0.gold == $0.predicted) }),
                           perLabel: perLabel, labels: labels, confusion: confusion)
    }

    func needsReport(_ pairs: [(gold: CorpusLine, prediction: Prediction)]) -> NeedsReport? {
        guard !pairs.isEmpty else { return nil }
        var perLabel: [String: LabelMetrics] = [:]
        var reliability: [(Double, Bool)] = []
        var totalGold = 0, totalPredicted = 0, totalCorrect = 0
        for (needIndex, need) in Need.allCases.enumerated() {
            let decisions = pairs.map { pair in
                (pair.gold.needs!.contains(need.rawValue), pair.prediction.needs.contains { $0.label == need })
            }
            let metrics = labelMetrics(decisions)
            perLabel[need.rawValue] = metrics
            totalGold += metrics.support
            totalPredicted += metrics.predicted
            totalCorrect += metrics.correct
            for pair in pairs {
                reliability.append((pair.prediction.needProbabilities[needIndex], pair.gold.needs!.contains(need.rawValue)))
            }
        }
        let micro = LabelMetrics(support: totalGold, predicted: totalPredicted, correct: totalCorrect)
        let present = Need.allCases.map(\.rawValue).filter { perLabel[$0]!.support > 0 || perLabel[$0]!.predicted > 0 }
        let macro = present.isEmpty ? 0 : present.map { perLabel[$0]!.f1 }.reduce(0, +) / Double(present.count)
        let withoutNeed = pairs.filter { $0.gold.needs!.isEmpty }
        let alarms = withoutNeed.filter { !$0.prediction.needs.isEmpty }.count
        let hardship = perLabel[Need.financialHardship.rawValue]!
        return NeedsReport(
            lines: pairs.count, microPrecision: micro.precision, microRecall: micro.recall, microF1: micro.f1,
            macroF1: macro, hardshipRecall: hardship.support > 0 ? hardship.recall : nil,
            falseAlarmRate: withoutNeed.isEmpty ? nil : Double(alarms) / Double(withoutNeed.count),
            linesWithoutNeed: withoutNeed.count, ece: probabilityCalibrationError(reliability), perLabel: perLabel)
    }

    func sliceReport(_ pairs: [(gold: CorpusLine, prediction: Prediction)]) -> SliceReport {
        var slice = SliceReport(lines: pairs.count)
        let needs = needsReport(pairs.filter { $0.gold.needs != nil })
        if let needs {
            slice.needsMicroF1 = needs.perLabel.values.contains { $0.support > 0 || $0.predicted > 0 } ? needs.microF1 : nil
            slice.falseAlarmRate = needs.falseAlarmRate
            slice.hardshipRecall = needs.hardshipRecall
        }
        let sentiments = pairs.compactMap { pair in pair.gold.sentiment.map { $0 == pair.prediction.sentiment.label.rawValue } }
        if !sentiments.isEmpty { slice.sentimentAccuracy = Double(sentiments.filter { $0 }.count) / Double(sentiments.count) }
        let intents = pairs.compactMap { pair in pair.gold.intent.map { $0 == pair.prediction.intent.label.rawValue } }
        if !intents.isEmpty { slice.intentAccuracy = Double(intents.filter { $0 }.count) / Double(intents.count) }
        return slice
    }

    /// ECE of top-label confidences: equal-width bins, |accuracy − confidence| weighted by bin size.
    func expectedCalibrationError(_ rows: [(confidence: Double, correct: Bool)]) -> Double {
        binnedGap(rows.map { ($0.confidence, $0.correct ? 1.0 : 0.0) })
    }

    /// Calibration error of binary probabilities: |mean probability − share of positives| per bin.
    func probabilityCalibrationError(_ rows: [(probability: Double, positive: Bool)]) -> Double {
        binnedGap(rows.map { ($0.probability, $0.positive ? 1.0 : 0.0) })
    }

    private func binnedGap(_ rows: [(Double, Double)]) -> Double {
        guard !rows.isEmpty else { return 0 }
        var sums = [(predicted: Double, observed: Double, count: Int)](repeating: (0, 0, 0), count: calibrationBins)
        for (predicted, observed) in rows {
            let bin = min(calibrationBins - 1, max(0, Int(predicted * Double(calibrationBins))))
            sums[bin].predicted += predicted
            sums[bin].observed += observed
            sums[bin].count += 1
        }
        var gap = 0.0
        for bin in sums where bin.count > 0 {
            gap += abs(bin.predicted - bin.observed) / Double(rows.count)
        }
        return gap
    }
}
