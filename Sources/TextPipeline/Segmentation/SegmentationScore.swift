/// Word segmentation precision, recall and F1 against a gold standard, as
/// the SIGHAN bakeoffs score it: a word is correct when a predicted word
/// covers exactly the same characters as a gold word.
public struct SegmentationScore: Sendable, Equatable {
    public private(set) var goldWords = 0
    public private(set) var predictedWords = 0
    public private(set) var correctWords = 0
    /// Lines whose predicted characters differ from the gold characters.
    public private(set) var mismatchedLines = 0

    public init() {}

    public var precision: Double { predictedWords == 0 ? 0 : Double(correctWords) / Double(predictedWords) }
    public var recall: Double { goldWords == 0 ? 0 : Double(correctWords) / Double(goldWords) }
    public var f1: Double {
        let p = precision, r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Adds one line: the gold words and the predicted words (whitespace-free strings).
    public mutating func add(gold: [String], predicted: [String]) {
        goldWords += gold.count
        predictedWords += predicted.count
        if gold.joined() != predicted.joined() { mismatchedLines += 1 }
        var goldSpans = Set<Int>()
        var offset = 0
        for word in gold {
            let length = word.unicodeScalars.count
            goldSpans.insert(offset << 20 | length)
            offset += length
        }
        offset = 0
        for word in predicted {
            let length = word.unicodeScalars.count
            if goldSpans.contains(offset << 20 | length) { correctWords += 1 }
            offset += length
        }
    }
}
