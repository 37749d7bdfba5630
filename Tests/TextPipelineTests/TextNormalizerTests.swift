import Testing
@testable import TextPipeline

@Suite struct TextNormalizerTests {
    let normalizer = TextNormalizer()

    @Test func traditionalAndSimplified_normaliseTheSame() {
        #expect(normalizer.normalize("帳戶被凍結了").text == normalizer.normalize("账户被冻结了").text)
        #expect(normalizer.normalize("帳戶被凍結了").text == "账户被冻结了")
        #expect(normalizer.normalize("請問轉帳為什麼沒到賬").text == "请问转账为什么没到账")
    }

    @Test func bankingVariantFolding_keepsTentsAndCurtains() {
        #expect(normalizer.normalize("帐单和帐号").text == "账单和账号")
        #expect(normalizer.normalize("买了个帐篷和蚊帐").text == "买了个帐篷和蚊帐")
    }

    @Test func traditionalRuns_matchICUWholeStringTransliteration() throws {
        // Phrase rules (乾淨 → 干净, 於是 → 于是) must give what ICU gives on the whole run.
        for line in try fixture("traditional.txt").split(separator: "\n") {
            let ours = normalizer.normalize(String(line)).text
            var scratch = [UInt16](repeating: 0, count: 64)
            let nfkc = CharacterTable.normalizeAlone(Array(String(line).utf16), buffer: &scratch)
            var expected = TraditionalConverter.shared.convert(nfkc[...])
            VariantFolding.apply(to: &expected)
            #expect(ours == String(decoding: expected, as: UTF16.self), "line: \(line)")
        }
    }

    @Test func fullWidthASCII_becomesHalfWidthAndLowerCase() {
        #expect(normalizer.normalize("ＡＢＣ１２３ＶＩＰ").text == "abc123vip")
        #expect(normalizer.normalize("APP又闪退").text == "app又闪退")
        #expect(normalizer.normalize("５０００元").text == "5000元")
    }

    @Test func whitespaceRuns_collapseToOneSpace_andEndsAreTrimmed() {
        #expect(normalizer.normalize("  你好 \t\u{3000}  在吗 \n").text == "你好 在吗")
    }

    @Test func repeatedPunctuation_collapses() {
        #expect(normalizer.normalize("退钱！！！！").text == "退钱!")
        #expect(normalizer.normalize("为什么？？？").text == "为什么?")
        #expect(normalizer.normalize("啊……").text == "啊.")
        #expect(normalizer.normalize("~~~好的~~").text == "~好的~")
        // Different marks stay.
        #expect(normalizer.normalize("真的?!").text == "真的?!")
        // Repeated letters are words, not punctuation.
        #expect(normalizer.normalize("哈哈哈哈").text == "哈哈哈哈")
    }

    @Test func zeroWidthCharacters_areRemoved() {
        #expect(normalizer.normalize("账\u{200B}户\u{200D}冻\u{FEFF}结\u{2060}").text == "账户冻结")
    }

    @Test func combiningMarks_composeWithTheirBase() {
        let text = normalizer.normalize("cafe\u{0301}")
        #expect(text.text == "café")
        #expect(text.sourceSpan(of: TextSpan(start: 3, end: 4)) == TextSpan(start: 3, end: 5))
    }

    @Test func offsetMap_pointsEveryUnitAtItsOriginal() {
        let original = "帳戶  被凍結了！！！ＯＫ😭"
        let text = normalizer.normalize(original)
        #expect(text.text == "账户 被冻结了!ok😭")
        // 账户 ← 帳戶
        #expect(text.sourceText(of: TextSpan(start: 0, end: 2)) == "帳戶")
        // The one space ← both original spaces.
        #expect(text.sourceText(of: TextSpan(start: 2, end: 3)) == "  ")
        // ! ← ！！！
        #expect(text.sourceText(of: TextSpan(start: 7, end: 8)) == "！！！")
        #expect(text.sourceText(of: TextSpan(start: 8, end: 10)) == "ＯＫ")
        // The emoji (a surrogate pair) keeps both units.
        #expect(text.sourceText(of: TextSpan(start: 10, end: 12)) == "😭")
    }

    @Test func expansions_mapToTheirOneSourceCharacter() {
        let text = normalizer.normalize("室温3℃")
        #expect(text.text == "室温3°c")
        #expect(text.sourceText(of: TextSpan(start: 3, end: 5)) == "℃")
    }

    @Test func offsetIndex_convertsUTF16ToScalarOffsets() {
        let index = OffsetIndex("a😭b帳")
        #expect(index.scalarOffset(utf16: 0) == 0)
        #expect(index.scalarOffset(utf16: 1) == 1)
        #expect(index.scalarOffset(utf16: 3) == 2)
        #expect(index.scalarOffset(utf16: 4) == 3)
        #expect(index.utf16Offset(scalar: 3) == 4)
        #expect(index.scalarRange(of: TextSpan(start: 1, end: 3)) == 1..<2)
    }

    @Test func emptyAndWhitespaceOnly_normaliseToEmpty() {
        #expect(normalizer.normalize("").text == "")
        #expect(normalizer.normalize(" \u{200B} ").text == "")
    }
}

@Suite struct SimplifiedTextStaysTests {
    @Test func simplifiedWordsICUWouldChange_areKept() {
        let normalizer = TextNormalizer()
        #expect(normalizer.normalize("著名的俱乐部").text == "著名的俱乐部")
        #expect(normalizer.normalize("乾隆年间").text == "乾隆年间")
        #expect(normalizer.normalize("衣服很乾淨").text == "衣服很干净")
    }
}
