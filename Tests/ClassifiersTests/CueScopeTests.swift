import Testing
@testable import Classifiers
import TextPipeline

/// Pins down which words fall in which scope: the features that let the
/// model learn "not a need" from denials, finished events, hypotheticals and
/// other people's lives.
@Suite struct CueScopeTests {
    func scope(of word: String, in text: String) throws -> CueScope {
        let tokens = shippedProcessor.process(text).tokens
        let scopes = CueScopeAnalyzer.scopes(of: tokens)
        let index = try #require(tokens.firstIndex { $0.text == word }, "\(word) is not a token of \(text)")
        return scopes[index]
    }

    @Test func negation_coversTheRestOfItsClauseOnly() throws {
        #expect(try scope(of: "买房", in: "暂时不打算买房，就问问利率").contains(.negation))
        #expect(try !scope(of: "利率", in: "暂时不打算买房，就问问利率").contains(.negation))
        #expect(try scope(of: "装修", in: "我们不装修").contains(.negation))
    }

    @Test func universalDenial_negatesTheThingBeforeItsNegator() throws {
        #expect(try scope(of: "理财", in: "不买了，什么理财都不想碰了").contains(.negation))
        #expect(try scope(of: "保险", in: "啥保险也不要").contains(.negation))
        #expect(try !scope(of: "理财", in: "什么理财收益高一点").contains(.negation), "a question, not a denial")
        #expect(try !scope(of: "装修", in: "装修都不知道找谁").contains(.negation), "no indefinite word: 都不 alone negates only what follows")
    }

    @Test func aNotAQuestions_askAndDenyNothing() throws {
        #expect(try scope(of: "装修", in: "你们银行有没有那个装修的贷款").isEmpty)
        #expect(try scope(of: "国外", in: "有没有在国外看病也能直接报的那种").isEmpty)
        #expect(try scope(of: "买房", in: "能不能先问下买房的利率").isEmpty)
        #expect(try scope(of: "买房", in: "我没有买房的打算").contains(.negation))
    }

    @Test func reading_givesEachTokensCueKindsFromItsTags() {
        // What the conversation signals test for a cancellation: the kinds read with the scopes.
        for text in ["婚礼取消了，定金能退吗", "装修先不弄了", "我同事在装修", "房贷上个月已经结清了", "在吗"] {
            let tokens = shippedProcessor.process(text).tokens
            let reading = CueScopeAnalyzer.read(tokens)
            #expect(reading.cueKinds.count == tokens.count)
            for (token, kinds) in zip(tokens, reading.cueKinds) {
                let tagged = token.tags.contains(LexiconTag(category: .cue, value: "cancel"))
                #expect(kinds.contains(.cancel) == tagged, "\(token.text) in \(text)")
            }
        }
        #expect(CueScopeAnalyzer.read(shippedProcessor.process("婚礼取消了").tokens).cueKinds.contains { $0.contains(.cancel) })
        #expect(!CueScopeAnalyzer.read(shippedProcessor.process("我同事在装修").tokens).cueKinds.contains { $0.contains(.cancel) })
    }

    @Test func completion_coversTheWholeClause() throws {
        #expect(try scope(of: "房贷", in: "房贷上个月已经结清了").contains(.completion))
        #expect(try scope(of: "婚礼", in: "婚礼取消了，定金能退吗").contains(.cancelled))
        #expect(try !scope(of: "定金", in: "婚礼取消了，定金能退吗").contains(.cancelled))
    }

    @Test func hypothetical_runsToTheEndOfTheSentence() throws {
        let text = "要是中了五百万，我就买房。现在先存钱"
        #expect(try scope(of: "买房", in: text).contains(.hypothetical))
        #expect(try !scope(of: "存钱", in: text).contains(.hypothetical))
    }

    @Test func thirdPerson_isUnlinkedUnlessThePersonIsFamilyOrTheCustomerPays() throws {
        #expect(try scope(of: "装修", in: "我同事在装修").contains(.thirdPerson))
        let paid = try scope(of: "住院", in: "我朋友住院了，钱我来出")
        #expect(paid.contains(.linkedPerson))
        #expect(!paid.contains(.thirdPerson))
        #expect(try scope(of: "住院", in: "我爸住院了").contains(.linkedPerson))
    }

    @Test func thirdPerson_endsWhenTheCustomerSpeaksOfThemselves() throws {
        let text = "朋友刚买了车，我也想买车"
        #expect(try !scope(of: "买车", in: text).contains(.thirdPerson))
    }

    @Test func mood_tellsAQuestionFromAStatementClauseByClause() throws {
        func mood(of word: String, in text: String) throws -> ClauseMood {
            let tokens = shippedProcessor.process(text).tokens
            let index = try #require(tokens.firstIndex { $0.text == word }, "\(word) is not a token of \(text)")
            return CueScopeAnalyzer.moods(of: tokens)[index]
        }
        #expect(try mood(of: "逾期", in: "花呗逾期违约金怎么算").question)
        #expect(try !mood(of: "逾期", in: "花呗逾期违约金怎么算").firstPerson)
        let stated = try mood(of: "逾期", in: "我这个月逾期了。能延期吗")
        #expect(!stated.question)
        #expect(stated.firstPerson)
        // The question is the clause's, the speaker the sentence's: the cue is
        // stated in its clause, the next clause asks.
        let clause = try mood(of: "交不起", in: "我今年实在交不起了，退保能退多少")
        #expect(!clause.question)
        #expect(clause.firstPerson)
        #expect(try mood(of: "退保", in: "我今年实在交不起了，退保能退多少").question)
        #expect(try mood(of: "交不起", in: "今年实在交不起了，我退保能退多少").firstPerson)
        // A gap typed between two phrases ends a clause too, as it does for the scopes.
        #expect(try !mood(of: "逾期", in: "我房贷逾期了 怎么办").question)
        #expect(try mood(of: "怎么", in: "我房贷逾期了 怎么办").question)
    }

    @Test func read_givesTheScopesAndMoodsOfOnePass() throws {
        let tokens = shippedProcessor.process("我同事在装修 要是中了五百万，我就买房？").tokens
        let reading = CueScopeAnalyzer.read(tokens)
        #expect(reading.scopes == CueScopeAnalyzer.scopes(of: tokens))
        #expect(reading.moods == CueScopeAnalyzer.moods(of: tokens))
        #expect(reading.scopes.count == tokens.count)
    }

    @Test func plainNeedCues_haveNoScope() throws {
        #expect(try scope(of: "装修", in: "想装修一下，有分期吗").isEmpty)
    }

    @Test func questionWords_areFoundInsideTokens() {
        for (text, expected) in [("怎么办理", true), ("多少钱", true), ("有没有", true), ("为什么", true), ("么", false),
                                 ("怎", false), ("装修", false), ("我想知道多久", true), ("可不可以啊", true), ("", false),
                                 ("app怎么登", true), ("😭为什么", true), ("怎麼辦", false), ("ok", false), ("几多钱", true)] {
            #expect(CueScopeAnalyzer.containsQuestionWord(text) == expected, "\(text)")
            #expect(CueScopeAnalyzer.containsQuestionWord(text) == CueScopeAnalyzer.questionWords.contains { text.contains($0) })
        }
    }

    @Test func wordRoles_holdEveryListAWordIsOn() {
        let lists: [([String], CueScopeAnalyzer.WordRoles)] = [
            (CueScopeAnalyzer.builtInNegators, .negator), (CueScopeAnalyzer.indefinites, .indefinite),
            (CueScopeAnalyzer.universalMarkers, .universalMarker), (CueScopeAnalyzer.universalNegators, .universalNegator),
            (CueScopeAnalyzer.firstPerson, .firstPerson), (CueScopeAnalyzer.sentenceEnders, .sentenceEnder),
            (CueScopeAnalyzer.clauseEnders, .clauseEnder), (CueScopeAnalyzer.questionParticles, .questionParticle),
        ]
        for (words, role) in lists {
            for word in words {
                let roles = CueScopeAnalyzer.wordRoles[word] ?? []
                #expect(roles.contains(role), "\(word)")
                for (others, otherRole) in lists where otherRole != role {
                    #expect(roles.contains(otherRole) == others.contains(word), "\(word)")
                }
            }
        }
        // A word on two lists has both roles: 啥 asks and opens a universal denial; 都不 negates and closes one.
        #expect(CueScopeAnalyzer.wordRoles["啥"] == [.indefinite, .questionParticle])
        #expect(CueScopeAnalyzer.wordRoles["都不"] == [.negator, .universalNegator])
        #expect(CueScopeAnalyzer.wordRoles["装修"] == nil)
    }

    /// The table behind the set (and the lexicon trie), filled well past its first size so keys share first slots.
    @Test func shortKeyTable_findsEveryKeyAndNothingElse() {
        var entries: [UInt64: Int] = [:]
        var state: UInt64 = 5
        for value in 0..<700 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            entries[state >> 16 | 1] = value
        }
        entries[1] = -1
        entries[UInt64.max] = -2
        let table = IntegerKeyTable(entries.mapValues { Optional($0) }, empty: 0, missing: nil)
        for (key, value) in entries { #expect(table.value(of: key) == value) }
        for key: UInt64 in [0, 2, 3, 42, UInt64.max - 1] where entries[key] == nil { #expect(table.value(of: key) == nil) }
        #expect(IntegerKeyTable<Int>([:], empty: 0, missing: -1).value(of: 7) == -1)
        #expect(IntegerKeyTable<Int>([:], empty: 0, missing: -1).value(of: 0) == -1)
    }

    @Test func shortWordSet_matchesWholeWordsByTheirCodeUnits() {
        let words = ShortWordSet<Void>(["不", "没有", "一点也不", "？"])
        for word in ["不", "没有", "一点也不", "？"] { #expect(words.contains(word), "\(word)") }
        // Prefixes, extensions, other lengths and the empty text are not members.
        for text in ["没", "没有的", "一点也不会", "不不", "", "?"] { #expect(!words.contains(text), "\(text)") }
        // Four units fill the key; five do not fit, and a NUL unit could alias a shorter word.
        #expect(ShortWordSet<Void>.key(of: "一点也不") != nil)
        #expect(ShortWordSet<Void>.key(of: "一点也不会") == nil)
        #expect(ShortWordSet<Void>.key(of: "\u{0}不") == nil)
        #expect(ShortWordSet<Void>.key(of: "不") != ShortWordSet<Void>.key(of: "不不"))
        // A character outside the BMP is two units (a surrogate pair) and is matched as such.
        let emoji = ShortWordSet<Int>([("😭", 1), ("好", 2)])
        #expect(emoji["😭"] == 1 && emoji["好"] == 2 && emoji["😭😭"] == nil)
        // Longer words are kept by their text and met only by texts as long.
        let long = ShortWordSet<Void>(["暂时不需要", "不用"])
        #expect(long.contains("暂时不需要") && long.contains("不用"))
        #expect(long.contains("暂时不需要", key: ShortWordSet<Void>.key(of: "暂时不需要")))
        for text in ["暂时不需", "暂时不需要了", "不用了", ""] { #expect(!long.contains(text), "\(text)") }
    }
}
