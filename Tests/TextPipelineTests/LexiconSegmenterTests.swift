import Testing
@testable import TextPipeline

@Suite struct LexiconSegmenterTests {
    func words(_ text: String, _ lexicon: Lexicon) -> [String] {
        TextProcessor(lexicon: lexicon).process(text).tokens.map(\.text)
    }

    @Test func lexiconTerm_beatsTheDictionary() throws {
        let lexicon = try makeLexicon("停息挂账\tproduct:relief\n拿钥匙\tneed:home_renovation\n")
        #expect(words("我想申请停息挂账", lexicon).contains("停息挂账"))
        #expect(words("下个月拿钥匙", lexicon).contains("拿钥匙"))
        #expect(words("下个月拿钥匙", .empty).contains("拿钥匙") == false)
    }

    @Test func overlappingTerms_longestWinsThenWeight() throws {
        let longest = try makeLexicon("不打算\tcue:negation\n打算买房\tneed:home_purchase\n买房\tneed:home_purchase\n")
        let chosen = words("我不打算买房", longest)
        #expect(chosen.last == "打算买房" && !chosen.contains("不打算") && !chosen.contains("买房"))
        let weighted = try makeLexicon("不打算\tcue:negation\t3\n打算买\tcue:future\n")
        #expect(words("不打算买", weighted).prefix(1) == ["不打算"])
        let weightedOther = try makeLexicon("不打算\tcue:negation\n打算买\tcue:future\t3\n")
        #expect(words("不打算买", weightedOther) == ["不", "打算买"])
        let leftmost = try makeLexicon("不打算\tcue:negation\n打算买\tcue:future\n")
        #expect(words("不打算买", leftmost) == ["不打算", "买"])
    }

    @Test func piiPlaceholder_winsOverEverything() throws {
        let lexicon = try makeLexicon("手机号\tproduct:service\n")
        let tokens = TextProcessor(lexicon: lexicon).process("手机号13912345678").tokens
        #expect(tokens.map(\.text) == ["手机号", "[手机号]"])
        #expect(tokens[1].kind == .pii && tokens[1].pii == .mobilePhone)
        #expect(tokens[1].sourceSpan == TextSpan(start: 3, end: 14))
    }

    @Test func amounts_areTokensWithValues() {
        let tokens = TextProcessor(lexicon: .empty).process("借两万五,分12期").tokens
        let amount = tokens.first { $0.kind == .amount }
        #expect(amount?.text == "两万五")
        #expect(amount?.amount?.value == 25_000)
    }

    @Test func tokens_pointIntoTheOriginalText_TraditionalIncluded() throws {
        let lexicon = try makeLexicon("账户冻结\tcue:urgency\n")
        let original = "我的帳戶凍結了！！怎麼辦"
        let processed = TextProcessor(lexicon: lexicon).process(original)
        let term = try #require(processed.tokens.first { $0.kind == .lexicon })
        #expect(term.text == "账户冻结")
        #expect(substring(original, term.sourceSpan) == "帳戶凍結")
        let bang = try #require(processed.tokens.first { $0.text == "!" })
        #expect(substring(original, bang.sourceSpan) == "！！")
    }

    @Test func tokens_coverTheWholeTextInOrder() {
        let processed = TextProcessor(lexicon: shippedLexicon).process("下个月交房，想问装修分期5w够不够😂 app老闪退ＡＢＣ")
        var cursor = 0
        for token in processed.tokens {
            #expect(token.span.start >= cursor)
            cursor = token.span.end
        }
        let joined = processed.tokens.map(\.text).joined()
        #expect(joined == processed.maskedText.replacingOccurrences(of: " ", with: ""))
    }

    /// The features hash a token by the masked text's units at its span, so
    /// a token's text must be exactly those units (PII, amounts, Traditional
    /// input, emoji and collapsed runs included).
    @Test func tokenText_isTheMaskedTextAtItsSpan() {
        let processor = TextProcessor(lexicon: shippedLexicon)
        for text in ["下个月交房，想问装修分期5w够不够😂 app老闪退ＡＢＣ", "我的帳戶凍結了！！怎麼辦", "手机13912345678转了¥3,000.50",
                     "🇨🇳👍🏽好评！！！哈哈哈哈哈", "卡號6222020200112233445已經還清了……", "温度3℃ 叁仟元整 二〇二四年"] {
            let processed = processor.process(text)
            let units = processed.masked.text.units
            for token in processed.tokens {
                let atSpan = String(decoding: units[token.span.start..<token.span.end], as: UTF16.self)
                #expect(token.text == atSpan, "\(token.text)")
                #expect(Array(token.text.utf16) == Array(units[token.span.start..<token.span.end]))
            }
        }
    }

    @Test func characterClasses_makeTheirOwnTokens() {
        let tokens = TextProcessor(lexicon: .empty).process("vip5g 3.14 😂!").tokens
        #expect(tokens.map(\.text) == ["vip5g", "3.14", "😂", "!"])
        #expect(tokens.map(\.kind) == [.alphanumeric, .number, .emoji, .punctuation])
    }

    @Test func expandedCharacters_stayOneToken() {
        let tokens = TextProcessor(lexicon: .empty).process("温度3℃").tokens
        #expect(tokens.contains { $0.text == "°c" })
    }

    @Test func dictionarySegmentation_matchesICUOnPlainText() throws {
        let icu = try ICUWordBreaker()
        let text = "中华人民共和国成立了"
        let ours = TextProcessor(lexicon: .empty).process(text).tokens.map(\.text)
        #expect(ours == icu.words(text))
    }
}

func substring(_ text: String, _ span: TextSpan) -> String {
    let utf16 = text.utf16
    let from = utf16.index(utf16.startIndex, offsetBy: span.start)
    return String(text[from..<utf16.index(from, offsetBy: span.length)])
}
