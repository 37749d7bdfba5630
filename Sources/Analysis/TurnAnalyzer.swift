import Classifiers
import Foundation
import TextPipeline

/// The per-text analysis every edge uses (CLI, API, batch mining):
/// validate, normalise, mask, segment, classify, and map evidence back to
/// the original text. Immutable and `Sendable`.
public struct TurnAnalyzer: Sendable {
    public let processor: TextProcessor
    public let model: CustomerVoiceModel

    public init(processor: TextProcessor, model: CustomerVoiceModel) {
        self.processor = processor
        self.model = model
    }

    /// Analyses one text.
    /// - Throws: `TextInputError` for an empty or over-long text.
    public func analyze(_ text: String) throws -> TurnAnalysis {
        try processor.validate(text)
        return analyze(processed: processor.process(text))
    }

    /// - Parameters:
    ///   - cues: `CueScopeAnalyzer.read(processed.tokens)`, when the caller has it already.
    ///   - scope: which labels get evidence (batch mining skips sentiment and intent evidence).
    public func analyze(processed: ProcessedText, cues: CueReading? = nil,
                        evidenceFor scope: CustomerVoiceModel.EvidenceScope = .allLabels) -> TurnAnalysis {
        let prediction = model.predict(processed, cues: cues, evidenceFor: scope)
        let aligned = processed.masked.text
        let maskedText = processed.maskedText
        // The UTF-16 units of both texts, made once per text and only when a
        // label has evidence (String.UTF16View walks from the start to reach an offset).
        var originalUnits: [UInt16]? = nil
        func evidence(_ spans: [EvidenceSpan]) -> [TurnAnalysis.Evidence] {
            if spans.isEmpty { return [] }
            if originalUnits == nil { originalUnits = Array(aligned.original.utf16) }
            let original = originalUnits!, maskedUnits = aligned.units
            return spans.map { span in
                let source = Self.trimmed(Self.snapToScalars(aligned.sourceSpan(of: span.span), in: original), in: original)
                let masked = Self.trimmed(Self.snapToScalars(span.span, in: maskedUnits), in: maskedUnits)
                return TurnAnalysis.Evidence(start: source.start, end: source.end, text: aligned.originalText(at: source),
                                             weight: (span.weight * 1000).rounded() / 1000,
                                             maskedStart: masked.start, maskedEnd: masked.end, maskedWords: aligned.text(of: masked))
            }
        }
        func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        return TurnAnalysis(
            maskedText: maskedText,
            sentiment: .init(label: prediction.sentiment.label.rawValue, confidence: rounded(prediction.sentiment.confidence),
                             evidence: evidence(prediction.evidence.sentiment)),
            emotions: prediction.emotions.map {
                .init(label: $0.label.rawValue, confidence: rounded($0.confidence), evidence: evidence(prediction.evidence.emotions[$0.label] ?? []))
            },
            intent: .init(label: prediction.intent.label.rawValue, confidence: rounded(prediction.intent.confidence),
                          ranking: prediction.intentRanking.prefix(3).map { .init(label: $0.label.rawValue, confidence: rounded($0.confidence)) },
                          evidence: evidence(prediction.evidence.intent)),
            needs: prediction.needs.map {
                .init(need: $0.label.rawValue, confidence: rounded($0.confidence), evidence: evidence(prediction.evidence.needs[$0.label] ?? []))
            },
            modelVersion: model.version)
    }

    /// Drops punctuation and spaces at either end of an evidence span
    /// (character n-grams reach across commas); a span of nothing else stays.
    /// `units` is the text the span points into, as UTF-16.
    static func trimmed(_ span: TextSpan, in units: [UInt16]) -> TextSpan {
        func isTrimmable(_ unit: UInt16) -> Bool {
            // Han characters and ASCII letters and digits, most of any span, without a property lookup.
            if (0x4E00...0x9FFF).contains(unit) || (0x30...0x39).contains(unit) || (0x41...0x5A).contains(unit)
                || (0x61...0x7A).contains(unit) { return false }
            guard !UTF16.isLeadSurrogate(unit), !UTF16.isTrailSurrogate(unit), let scalar = Unicode.Scalar(unit) else { return false }
            let properties = scalar.properties
            return properties.isWhitespace || properties.generalCategory.isPunctuation
        }
        var start = span.start, end = span.end
        while start < end, isTrimmable(units[start]) { start += 1 }
        while end > start, isTrimmable(units[end - 1]) { end -= 1 }
        if start == end { return span }
        return TextSpan(start: start, end: end)
    }

    /// Widens a UTF-16 span so it never cuts a surrogate pair in half.
    static func snapToScalars(_ span: TextSpan, in units: [UInt16]) -> TextSpan {
        var start = span.start, end = span.end
        if start > 0, start < units.count, UTF16.isTrailSurrogate(units[start]) { start -= 1 }
        if end > 0, end < units.count, UTF16.isLeadSurrogate(units[end - 1]) { end += 1 }
        return TextSpan(start: start, end: end)
    }
}

extension TurnAnalyzer {
    /// Analyses one turn of a conversation: customer turns fully, agent
    /// turns for their signals only (they are context, never classified).
    /// - Throws: `TextInputError` for an empty or over-long text.
    public func analyzeTurn(_ text: String, turn: Int, speaker: Speaker,
                            evidenceFor scope: CustomerVoiceModel.EvidenceScope = .allLabels) throws -> AnalysedTurn {
        try processor.validate(text)
        let (analysis, signals) = analyzeTurn(processed: processor.process(text), speaker: speaker, evidenceFor: scope)
        return AnalysedTurn(turn: turn, speaker: speaker, analysis: analysis, signals: signals)
    }

    /// A processed turn's analysis (customer turns only) and its conversation
    /// signals, with the cue scopes read once for both.
    public func analyzeTurn(processed: ProcessedText, speaker: Speaker,
                            evidenceFor scope: CustomerVoiceModel.EvidenceScope = .allLabels)
        -> (analysis: TurnAnalysis?, signals: TurnSignals) {
        let cues = CueScopeAnalyzer.read(processed.tokens)
        let analysis = speaker == .customer ? analyze(processed: processed, cues: cues, evidenceFor: scope) : nil
        return (analysis, TurnSignalReader.read(processed, cues: cues))
    }
}
