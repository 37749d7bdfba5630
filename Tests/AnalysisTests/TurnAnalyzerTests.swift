import Foundation
import Testing
import Taxonomy
@testable import Analysis
@testable import Classifiers
import TextPipeline

/// Evidence must point at the customer's own characters: offsets into the
/// original text (Traditional characters and emoji included), never into
/// the normalised or masked text, and never at masked personal data.
@Suite struct TurnAnalyzerTests {
    static let processor: TextProcessor = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return TextProcessor(lexicon: try! LexiconLoader().load(directory: root.appendingPathComponent("lexicons")))
    }()

    /// A hand-weighted model: the token 装修 strongly signals home_renovation.
    static let analyzer: TurnAnalyzer = {
        var hasher = FeatureHasher(namespace: .token)
        for unit in "装修".utf16 { hasher.combine(unit: unit) }
        let layout = OutputLayout()
        var weights = [Float](repeating: 0, count: layout.outputCount)
        weights[layout.output(of: Need.homeRenovation)] = 6
        weights[layout.output(of: Intent.loanInquiry)] = 3
        var bias = [Float](repeating: 0, count: layout.outputCount)
        for output in layout.needRange { bias[output] = -3 }
        for output in layout.emotionRange { bias[output] = -3 }
        let linear = LinearWeights(keys: [hasher.value], outputCount: layout.outputCount, weights: weights, bias: bias)
        let meta = ModelMeta(modelVersion: "hand", format: ModelMeta.currentFormat, taxonomyFingerprint: "", lexiconFingerprint: "",
                             features: FeatureExtractor.version, pipeline: [:],
                             corpus: .init(fingerprint: "", files: 0, trainLines: 0, devLines: 0), config: TrainingConfig(),
                             configHash: "", trainedAt: "", trainingSeconds: 0, featureCount: 1, chosenL2: [:],
                             devMetrics: MetricsSummary(lines: 0))
        return TurnAnalyzer(processor: processor, model: CustomerVoiceModel(weights: linear, calibration: Calibration(), meta: meta))
    }()

    func utf16Offset(of needle: String, in text: String) -> Int {
        let range = text.range(of: needle)!
        return text.utf16.distance(from: text.utf16.startIndex, to: range.lowerBound.samePosition(in: text.utf16)!)
    }

    @Test func evidence_pointsAtTheOriginalTraditionalCharacters() throws {
        let text = "🏠下個月拿鑰匙，想裝修"
        let analysis = try Self.analyzer.analyze(text)
        let need = try #require(analysis.needs.first)
        #expect(need.need == "home_renovation")
        let evidence = try #require(need.evidence.first)
        let start = utf16Offset(of: "裝修", in: text)
        #expect(evidence.start == start)
        #expect(evidence.end == start + 2)
        #expect(evidence.text == "裝修")
        #expect(analysis.intent.label == "loan_inquiry")
        #expect(analysis.intent.ranking.count == 3)
    }

    @Test func evidence_offsetsSurviveFullWidthAndMasking() throws {
        let text = "电话１３９１２３４５６７８，新房裝修"
        let analysis = try Self.analyzer.analyze(text)
        #expect(analysis.maskedText.contains("[手机号]"))
        let evidence = try #require(analysis.needs.first?.evidence.first)
        #expect(evidence.text == "裝修")
        #expect(evidence.start == utf16Offset(of: "裝修", in: text))
        let encoded = String(decoding: try JSONEncoder().encode(analysis), as: UTF8.self)
        #expect(!encoded.contains("１３９"))
        #expect(!encoded.contains("139"))
    }

    /// What stores keep: the same words located in the masked text.
    @Test func evidence_alsoPointsIntoTheMaskedText() throws {
        let text = "我手機13912345678，新房要裝修了"
        let analysis = try Self.analyzer.analyze(text)
        let need = try #require(analysis.needs.first { $0.need == Need.homeRenovation.rawValue })
        let span = try #require(need.evidence.first)
        #expect(span.text == "裝修")
        #expect(span.maskedWords == "装修")
        let masked = Array(analysis.maskedText.utf16)
        #expect(String(decoding: masked[span.maskedStart..<span.maskedEnd], as: UTF16.self) == "装修")
        #expect(span.maskedStart == utf16Offset(of: "装修", in: analysis.maskedText))
        #expect(!analysis.maskedText.contains("13912345678"))
    }

    @Test func noNeedBelowThreshold() throws {
        let analysis = try Self.analyzer.analyze("我想查一下余额")
        #expect(analysis.needs.isEmpty)
        #expect(analysis.emotions.isEmpty)
    }

    @Test func invalidInput_isRefused() {
        #expect(throws: TextInputError.empty) { try Self.analyzer.analyze("   ") }
    }

    @Test func evidenceSpans_doNotStartOrEndWithPunctuation() {
        let text = Array("好，装修！".utf16)
        #expect(TurnAnalyzer.trimmed(TextSpan(start: 1, end: 5), in: text) == TextSpan(start: 2, end: 4))
        #expect(TurnAnalyzer.trimmed(TextSpan(start: 1, end: 2), in: text) == TextSpan(start: 1, end: 2))
    }

    @Test func lonePunctuation_isNoEvidence() {
        // With a hand model whose only weighted feature is the comma, the need has no evidence span left.
        var hasher = FeatureHasher(namespace: .charUnigram)
        hasher.combine(unit: 0x2C)
        let layout = OutputLayout()
        var weights = [Float](repeating: 0, count: layout.outputCount)
        weights[layout.output(of: Need.homeRenovation)] = 6
        var bias = [Float](repeating: -3, count: layout.outputCount)
        for output in layout.sentimentRange { bias[output] = 0 }
        for output in layout.intentRange { bias[output] = 0 }
        let linear = LinearWeights(keys: [hasher.value], outputCount: layout.outputCount, weights: weights, bias: bias)
        let analyzer = TurnAnalyzer(processor: Self.processor,
                                    model: CustomerVoiceModel(weights: linear, calibration: Calibration(), meta: Self.analyzer.model.meta))
        let analysis = try! analyzer.analyze("好，就这样")
        let need = analysis.needs.first { $0.need == "home_renovation" }
        #expect(need != nil)
        #expect(need?.evidence.isEmpty == true)
    }

    @Test func spansNeverSplitSurrogatePairs() {
        let text = Array("😀装修".utf16)
        #expect(TurnAnalyzer.snapToScalars(TextSpan(start: 1, end: 3), in: text) == TextSpan(start: 0, end: 3))
        #expect(TurnAnalyzer.snapToScalars(TextSpan(start: 0, end: 1), in: text) == TextSpan(start: 0, end: 2))
    }
}
