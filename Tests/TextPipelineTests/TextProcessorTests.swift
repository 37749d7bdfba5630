import Testing
@testable import TextPipeline

@Suite struct TextProcessorTests {
    let processor = TextProcessor(lexicon: .empty, limits: TextLimits(maxUTF16Length: 100))

    @Test func emptyText_isRefused() {
        #expect(throws: TextInputError.empty) { try processor.validate("") }
        #expect(throws: TextInputError.empty) { try processor.validate("  \u{200B}\n") }
    }

    @Test func tooLongText_isRefusedWithItsLength() {
        #expect(throws: TextInputError.tooLong(length: 101, limit: 100)) {
            try processor.validate(String(repeating: "好", count: 101))
        }
        #expect(TextLimits().maxUTF16Length < 1_000_000)
    }

    @Test func errorMessages_neverContainTheText() {
        let errors: [TextInputError] = [.empty, .tooLong(length: 5, limit: 1), .invalidUTF8(byteOffset: 3)]
        for error in errors {
            #expect(!error.description.isEmpty && !error.chineseDescription.isEmpty)
            #expect(error.code.hasPrefix("input."))
        }
    }

    @Test func maskedText_neverHoldsPII() {
        let processed = processor.process("我手机13912345678")
        #expect(processed.maskedText == "我手机[手机号]")
        #expect(!processed.tokens.contains { $0.text.contains("139") })
    }

    @Test func versions_nameEveryStage() {
        #expect(Set(processor.versions.keys) == ["normalizer", "masker", "segmenter", "lexicon"])
    }
}

@Suite struct SegmentationScoreTests {
    @Test func score_countsExactSpanMatches() {
        var score = SegmentationScore()
        score.add(gold: ["我们", "去", "银行"], predicted: ["我们", "去银", "行"])
        #expect(score.goldWords == 3 && score.predictedWords == 3 && score.correctWords == 1)
        #expect(abs(score.f1 - 1.0 / 3.0) < 1e-9)
        score.add(gold: ["好"], predicted: ["好"])
        #expect(score.correctWords == 2)
        #expect(score.mismatchedLines == 0)
        score.add(gold: ["a"], predicted: ["b"])
        #expect(score.mismatchedLines == 1)
    }
}
