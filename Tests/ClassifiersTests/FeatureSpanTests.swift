import Foundation
import Testing
@testable import Classifiers
import TextPipeline

/// Evidence is built from the spans of feature occurrences: a span must be
/// words of one clause, never a bridge across punctuation.
@Suite struct FeatureSpanTests {
    @Test func noSpanReachesAcrossPunctuation() {
        let text = shippedProcessor.process("下个月拿钥匙，装修想分期！！两万五够吗？")
        let units = text.masked.text.units
        let occurrences = FeatureExtractor().extract(text)
        var checked = 0
        for index in 0..<occurrences.count where occurrences.starts[index] >= 0 {
            let span = units[Int(occurrences.starts[index])..<Int(occurrences.ends[index])]
            // Not even a punctuation mark alone (its unigram, its token): it is never evidence.
            #expect(!span.contains(where: FeatureExtractor.isPunctuation),
                    "span \(String(decoding: Array(span), as: UTF16.self)) holds punctuation")
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func ngramsAtAClauseEdgeKeepTheirWords() {
        let text = shippedProcessor.process("拿钥匙，装修")
        let units = text.masked.text.units
        let occurrences = FeatureExtractor().extract(text)
        let spans = Set((0..<occurrences.count).filter { occurrences.starts[$0] >= 0 }.map {
            String(decoding: Array(units[Int(occurrences.starts[$0])..<Int(occurrences.ends[$0])]), as: UTF16.self)
        })
        // ",装修" is seen as a feature and points at 装修.
        #expect(spans.contains("装修"))
        #expect(!spans.contains { $0.contains(",") })
    }

    @Test func punctuationClass() {
        for character in ",.!?;:()[]{}，。！？、；：“”（）《》…~" {
            for unit in String(character).utf16 { #expect(FeatureExtractor.isPunctuation(unit), "\(character)") }
        }
        for character in "装修a0𠀋" {
            for unit in String(character).utf16 { #expect(!FeatureExtractor.isPunctuation(unit), "\(character)") }
        }
    }
}
