import TextPipeline

/// The scopes a token can sit in: what the customer says about the words
/// around a need cue. "不打算买房" puts 买房 under a negation, "房贷上个月已经
/// 结清了" puts 房贷 in a completed clause, "要是中了五百万…" makes the rest of
/// the sentence hypothetical, "我同事在装修" puts 装修 in a third person's
/// scope, and "我爸住院钱我来出" links that person to the customer.
///
/// The scopes are features, not filters: the classifiers learn from the
/// corpus how much each scope changes each label.
public struct CueScope: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let negation = CueScope(rawValue: 1 << 0)
    public static let completion = CueScope(rawValue: 1 << 1)
    public static let cancelled = CueScope(rawValue: 1 << 2)
    public static let hypothetical = CueScope(rawValue: 1 << 3)
    public static let thirdPerson = CueScope(rawValue: 1 << 4)
    public static let linkedPerson = CueScope(rawValue: 1 << 5)
    public static let future = CueScope(rawValue: 1 << 6)
    public static let past = CueScope(rawValue: 1 << 7)

    /// Every scope with a short stable name (part of the feature keys).
    public static let named: [(scope: CueScope, name: String)] = [
        (.negation, "neg"), (.completion, "done"), (.cancelled, "cancel"), (.hypothetical, "hyp"),
        (.thirdPerson, "third"), (.linkedPerson, "linked"), (.future, "future"), (.past, "past"),
    ]
}

/// The mood of a token's clause: asked about (逾期怎么算) or stated (这个月逾期
///了), and whether the customer speaks of themselves in the sentence.
public struct ClauseMood: Sendable, Equatable {
    public var question: Bool
    public var firstPerson: Bool
}

/// What `CueScopeAnalyzer.read` finds in a text: each token's scopes and its
/// clause's mood, in token order.
public struct CueReading: Sendable {
    public let scopes: [CueScope]
    public let moods: [ClauseMood]
    /// Each token's clause, numbered from 0 in text order (clauses end at
    /// commas, sentence punctuation and gaps).
    public let clauses: [Int]
}

/// Works out the scope of every token of a segmented text.
///
/// Clauses end at commas, sentence punctuation and gaps (a space typed
/// between two phrases); sentences end at 。！？；, line breaks and "…".
/// - negation: from the cue to the end of its clause (不打算 | 买房); a
///   universal denial negates its whole clause from the indefinite word,
///   though the negator comes after the thing denied (什么 | 理财都不想碰了,
///   啥保险也不要);
/// - completion, cancellation, past and future time: the whole clause, since
///   the cue often comes after the event (房贷 | 已经结清了);
/// - hypothetical: from the cue to the end of the sentence (要是中了五百万，我就买房);
/// - third person: from the cue to the end of the clause and on through
///   later clauses of the sentence until the customer speaks of themselves
///   again (我, 咱, 本人);
/// - linked person (household members) and payer cues (钱我来出): from the
///   cue to the end of the sentence; a payer cue anywhere in a sentence turns
///   its third-person scope into a linked one.
public enum CueScopeAnalyzer {
    /// Single characters and short words that negate what follows. The
    /// lexicons carry the longer negation cues (terms there have at least
    /// two characters); these are the one-character ones and common words
    /// ICU's dictionary keeps whole.
    static let builtInNegators = ShortWordSet<Void>([
        "不", "没", "没有", "别", "未", "无", "甭", "不是", "不会", "不要", "不用", "不必",
        "从未", "从没", "不再", "并不", "并没有", "并没", "都不", "也不", "都没", "也没", "还没", "一点也不",
        "一点都不", "毫不", "绝不", "决不",
    ])

    /// Indefinite words that open a universal denial (什么…都不, 啥…也不).
    static let indefinites = ShortWordSet<Void>(["什么", "啥", "啥子", "任何", "哪个", "哪样"])
    /// "All / also" before a negator closes it; ICU may keep the pair as one word.
    static let universalMarkers = ShortWordSet<Void>(["都", "也"])
    static let universalNegators = ShortWordSet<Void>(["都不", "也不", "都没", "也没", "都没有", "也没有"])

    static let firstPerson = ShortWordSet<Void>(["我", "我们", "咱", "咱们", "俺", "本人", "自己", "我自己"])

    static let sentenceEnders = ShortWordSet<Void>(["。", "！", "？", "；", "!", "?", ";", "…", "……", "\n", "~", "～"])
    /// "…", which may open a run of them (……, …。).
    static let ellipsis: UInt16 = 0x2026
    static let clauseEnders = ShortWordSet<Void>(["，", ",", "、", "：", ":", "（", "）", "(", ")", "—", "——"])

    /// The scopes and the clause moods of a text's tokens, from one pass over
    /// its clauses and sentences. The analysis reads them once per text and
    /// hands them to the features and to the conversation signals.
    public static func read(_ tokens: [Token]) -> CueReading {
        let layout = ClauseLayout(tokens)
        return CueReading(scopes: scopes(of: tokens, layout: layout), moods: moods(of: tokens, layout: layout), clauses: layout.clauseOf)
    }

    public static func scopes(of tokens: [Token]) -> [CueScope] {
        scopes(of: tokens, layout: ClauseLayout(tokens))
    }

    public static func moods(of tokens: [Token]) -> [ClauseMood] {
        moods(of: tokens, layout: ClauseLayout(tokens))
    }

    /// Clause and sentence index of every token: clauses end at commas,
    /// sentence punctuation and gaps (a space typed between two phrases),
    /// sentences at 。！？；, line breaks and "…".
    struct ClauseLayout {
        var clauseOf: [Int]
        var sentenceOf: [Int]
        /// Number of clauses and sentences (the last ids plus one; 0 for no tokens).
        var clauseCount = 0, sentenceCount = 0

        init(_ tokens: [Token]) {
            clauseOf = [Int](repeating: 0, count: tokens.count)
            sentenceOf = [Int](repeating: 0, count: tokens.count)
            var clause = 0, sentence = 0
            for index in tokens.indices {
                let token = tokens[index]
                if index > 0, tokens[index - 1].span.end < token.span.start { clause += 1 }
                clauseOf[index] = clause
                sentenceOf[index] = sentence
                if token.kind == .punctuation || token.kind == .symbol || token.kind == .other {
                    if CueScopeAnalyzer.sentenceEnders.contains(token.text) || token.text.utf16.first == ellipsis {
                        clause += 1
                        sentence += 1
                    } else if CueScopeAnalyzer.clauseEnders.contains(token.text) {
                        clause += 1
                    }
                }
            }
            if let last = tokens.indices.last {
                clauseCount = clauseOf[last] + 1
                sentenceCount = sentenceOf[last] + 1
            }
        }
    }

    static func scopes(of tokens: [Token], layout: ClauseLayout) -> [CueScope] {
        var result = [CueScope](repeating: [], count: tokens.count)
        guard !tokens.isEmpty else { return result }
        let clauseOf = layout.clauseOf, sentenceOf = layout.sentenceOf

        let tokenCues = tokens.map(cues)
        var clauseScope = [Int: CueScope]()
        var sentenceHasPayer = Set<Int>()
        for index in tokens.indices {
            for cue in tokenCues[index] {
                switch cue {
                case "completion": clauseScope[clauseOf[index], default: []].insert(.completion)
                case "cancel": clauseScope[clauseOf[index], default: []].insert(.cancelled)
                case "past": clauseScope[clauseOf[index], default: []].insert(.past)
                case "future": clauseScope[clauseOf[index], default: []].insert(.future)
                case "payer": sentenceHasPayer.insert(sentenceOf[index])
                default: break
                }
            }
        }

        // Universal denials: the clause from the indefinite word on.
        var universalStart = [Int: Int]()  // clause → first token of the denial
        var indefiniteAt = [Int: Int]()    // clause → the latest indefinite word
        for index in tokens.indices {
            let text = tokens[index].text, clause = clauseOf[index]
            if indefinites.contains(text) { indefiniteAt[clause] = index; continue }
            guard let start = indefiniteAt[clause], universalStart[clause] == nil else { continue }
            let closes = universalNegators.contains(text)
                || (universalMarkers.contains(text) && index + 1 < tokens.count && clauseOf[index + 1] == clause
                    && (builtInNegators.contains(tokens[index + 1].text) || tokenCues[index + 1].contains("negation")))
            if closes { universalStart[clause] = start }
        }

        var negationClause = -1
        var hypotheticalSentence = -1
        var thirdPersonSentence = -1
        var thirdPersonClause = -1
        var linkedSentence = -1
        for index in tokens.indices {
            let token = tokens[index]
            let clause = clauseOf[index], sentence = sentenceOf[index]
            var scope = clauseScope[clause] ?? []
            if negationClause == clause { scope.insert(.negation) }
            if let start = universalStart[clause], index >= start { scope.insert(.negation) }
            if hypotheticalSentence == sentence { scope.insert(.hypothetical) }
            if linkedSentence == sentence { scope.insert(.linkedPerson) }
            if thirdPersonSentence == sentence {
                if thirdPersonClause != clause && isFirstPerson(token) {
                    thirdPersonSentence = -1
                } else {
                    scope.insert(sentenceHasPayer.contains(sentence) ? .linkedPerson : .thirdPerson)
                }
            }
            result[index] = scope

            // Cues open their scope after themselves.
            for cue in tokenCues[index] {
                switch cue {
                case "negation": if !isAskingEitherWay(tokens, at: index) { negationClause = clause }
                case "hypothetical": hypotheticalSentence = sentence
                case "third_person":
                    thirdPersonSentence = sentence
                    thirdPersonClause = clause
                case "linked_person", "payer": linkedSentence = sentence
                default: break
                }
            }
            if builtInNegators.contains(token.text) && !isAskingEitherWay(tokens, at: index) { negationClause = clause }
        }
        return result
    }

    /// A negator inside an A-not-A question (有没有, 能不能, 是不是, 可不可以,
    /// 需不需要) asks; it denies nothing: "有没有装修的贷款" wants one.
    static func isAskingEitherWay(_ tokens: [Token], at index: Int) -> Bool {
        let text = tokens[index].text
        guard index > 0, let negator = text.first, negator == "不" || negator == "没",
              let before = tokens[index - 1].text.last else { return false }
        if text.count > 1 { return text.dropFirst().first == before }
        guard index + 1 < tokens.count, tokens[index].span.end == tokens[index + 1].span.start else { return false }
        return tokens[index + 1].text.first == before
    }

    /// Whether a token holds one of `questionWords`, compared by UTF-16 units
    /// (Foundation's `contains` on strings was a fifth of the whole analysis).
    static func containsQuestionWord(_ text: String) -> Bool {
        let units = Array(text.utf16)
        guard units.count >= 2 else { return false }
        // A plain loop: `Collection.firstRange(of:)` made the whole analysis
        // slower than `String.contains` did (0.18 M characters a second).
        for word in questionWordUnits where word.count <= units.count {
            for start in 0...(units.count - word.count) where units[start] == word[0] {
                if units[start..<(start + word.count)].elementsEqual(word) { return true }
            }
        }
        return false
    }

    static let questionWordUnits: [[UInt16]] = questionWords.map { Array($0.utf16) }

    /// Words that make a sentence a question: asking how something works
    /// (逾期怎么算) is not saying it happened (我逾期了).
    static let questionParticles = ShortWordSet<Void>(["？", "?", "吗", "嘛", "么", "呢", "啥", "咋", "几", "哪", "否", "咩", "乜"])
    /// Mandarin question words, and Cantonese and south-western ones (几多,
    /// 边度, 边个, 咋个, 啥子, 乜嘢, 系唔系, 有冇, 可唔可以, 使唔使).
    static let questionWords = ["怎么", "怎样", "如何", "多少", "什么", "为什么", "为何", "是否", "能否", "哪里", "哪些",
                                "有没有", "能不能", "可不可以", "会不会", "是不是", "要不要", "多久", "多长",
                                "几多", "边度", "边个", "咋个", "啥子", "乜嘢", "系唔系", "有冇", "可唔可以", "使唔使"]

    /// For every token: whether its clause is a question (？, 吗, 怎么 …) and
    /// whether the customer speaks of themselves in its sentence (我, 咱 …).
    /// The question is the clause's: in 今年实在交不起了,退保能退回来多少 the
    /// need cue is stated, and only the next clause asks.
    static func moods(of tokens: [Token], layout: ClauseLayout) -> [ClauseMood] {
        var result = [ClauseMood](repeating: ClauseMood(question: false, firstPerson: false), count: tokens.count)
        var questionClause = [Bool](repeating: false, count: layout.clauseCount)
        var personSentence = [Bool](repeating: false, count: layout.sentenceCount)
        for (index, token) in tokens.enumerated() {
            let clause = layout.clauseOf[index], sentence = layout.sentenceOf[index]
            if !questionClause[clause], questionParticles.contains(token.text)
                || containsQuestionWord(token.text) {
                questionClause[clause] = true
            }
            if !personSentence[sentence], isFirstPerson(token) { personSentence[sentence] = true }
        }
        for index in tokens.indices {
            result[index] = ClauseMood(question: questionClause[layout.clauseOf[index]],
                                       firstPerson: personSentence[layout.sentenceOf[index]])
        }
        return result
    }

    /// The customer speaking of themselves: 我, 我们, 我也, 咱, 俺, 本人, 自己 …
    /// (person cues such as 我同事 or 我爸 are cues, not the customer).
    static func isFirstPerson(_ token: Token) -> Bool {
        if firstPerson.contains(token.text) { return true }
        guard token.kind == .word || token.kind == .character else { return false }
        guard let first = token.text.utf16.first else { return false }
        return first == 0x6211 || first == 0x54B1 || first == 0x4FFA  // 我, 咱, 俺
    }

    static func cues(of token: Token) -> [String] {
        guard token.kind == .lexicon else { return [] }
        return token.tags.lazy.filter { $0.category == .cue }.map(\.value)
    }
}
