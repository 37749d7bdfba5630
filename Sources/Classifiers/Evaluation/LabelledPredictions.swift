import Foundation
import Taxonomy

/// Labels given to lines by someone or something other than the model — a
/// second labeller, another system — read from a JSONL file so `Evaluator`
/// can score them exactly as it scores the model.
///
/// Each line is a JSON object with `id`, `sentiment`, `emotions`, `intent`
/// and `needs` (the taxonomy's ids; any other keys, such as `text`, are
/// ignored). Every label counts with confidence 1.
public enum LabelledPredictions {
    struct Line: Decodable {
        let id: String
        let sentiment: String
        let emotions: [String]
        let intent: String
        let needs: [String]
    }

    /// Predictions by id. Errors name the file, the line and the key, never a text.
    public static func read(_ url: URL) throws -> [String: Prediction] {
        let name = url.path
        var result: [String: Prediction] = [:]
        for (line, number) in try CorpusReader.decodeLines(Line.self, at: url, name: name) {
            func bad(_ reason: String) -> CorpusError { .malformedLine(file: name, line: number, reason: reason) }
            guard let sentiment = Sentiment(rawValue: line.sentiment) else { throw bad("unknown sentiment \"\(line.sentiment)\"") }
            guard let intent = Intent(rawValue: line.intent) else { throw bad("unknown intent \"\(line.intent)\"") }
            let emotions = try line.emotions.map { label in
                guard let emotion = Emotion(rawValue: label) else { throw bad("unknown emotion \"\(label)\"") }
                return emotion
            }
            let needs = try line.needs.map { label in
                guard let need = Need(rawValue: label) else { throw bad("unknown need \"\(label)\"") }
                return need
            }
            guard result[line.id] == nil else { throw bad("id \"\(line.id)\" given twice") }
            result[line.id] = Prediction(given: sentiment, emotions: Set(emotions), intent: intent, needs: Set(needs))
        }
        if result.isEmpty { throw CorpusError.empty(path: name) }
        return result
    }
}

extension Prediction {
    /// A prediction that is exactly these labels, each with confidence 1 (and
    /// every other label 0); no evidence.
    public init(given sentiment: Sentiment, emotions: Set<Emotion>, intent: Intent, needs: Set<Need>) {
        func oneHot<Label: Equatable>(_ all: [Label], _ chosen: (Label) -> Bool) -> [Double] { all.map { chosen($0) ? 1 : 0 } }
        self.init(
            sentiment: Scored(label: sentiment, confidence: 1),
            sentimentProbabilities: oneHot(Sentiment.allCases) { $0 == sentiment },
            emotions: Emotion.allCases.filter(emotions.contains).map { Scored(label: $0, confidence: 1) },
            emotionProbabilities: oneHot(Emotion.allCases, emotions.contains),
            intent: Scored(label: intent, confidence: 1),
            intentRanking: [Scored(label: intent, confidence: 1)]
                + Intent.allCases.filter { $0 != intent }.map { Scored(label: $0, confidence: 0) },
            needs: Need.allCases.filter(needs.contains).map { Scored(label: $0, confidence: 1) },
            needProbabilities: oneHot(Need.allCases, needs.contains),
            evidence: PredictionEvidence())
    }
}
