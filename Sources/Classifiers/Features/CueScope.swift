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
    /// Each token's `ShortWordSet.key(of:)`, for the features' and the
    /// conversation signals' word tables.
    package let shortWordKeys: [UInt64?]
    /// The scope cues each token carries (`cue:…` tags of the lexicons).
    package let cueKinds: [CueKinds]
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
    static let builtInNegators = [
        "不", "没", "没有", "别", "未", "无", "甭", "不是", "不会", "不要", "不用", "不必",
        "从未", "从没", "不再", "并不", "并没有", "并没", "都不", "也不", "都没", "也没", "还没", "一点也不",
        "一点都不", "毫不", "绝不", "决不",
    ]

    /// Indefinite words that open a universal denial (什么…都不, 啥…也不).
    static let indefinites = ["什么", "啥", "啥子", "任何", "哪个", "哪样"]
    /// "All / also" before a negator closes it; ICU may keep the pair as one word.
    static let universalMarkers = ["都", "也"]
    static let universalNegators = ["都不", "也不", "都没", "也没", "都没有", "也没有"]

    static let firstPerson = ["我", "我们", "咱", "咱们", "俺", "本人", "自己", "我自己"]

    static let sentenceEnders = ["。", "！", "？", "；", "!", "?", ";", "…", "……", "\n", "~", "～"]
    /// "…", which may open a run of them (……, …。).
    static let ellipsis: UInt16 = 0x2026
    static let clauseEnders = ["，", ",", "、", "：", ":", "（", "）", "(", ")", "—", "——"]

    /// What a short word is to the scopes and moods, every list above in one
    /// table: a token is looked up once, not once per list.
    struct WordRoles: OptionSet {
        let rawValue: UInt16
        static let negator = WordRoles(rawValue: 1 << 0)
        static let indefinite = WordRoles(rawValue: 1 << 1)
        static let universalMarker = WordRoles(rawValue: 1 << 2)
        static let universalNegator = WordRoles(rawValue: 1 << 3)
        static let firstPerson = WordRoles(rawValue: 1 << 4)
        static let sentenceEnder = WordRoles(rawValue: 1 << 5)
        static let clauseEnder = WordRoles(rawValue: 1 << 6)
        static let questionParticle = WordRoles(rawValue: 1 << 7)
    }

    static let wordRoles: ShortWordSet<WordRoles> = {
        let lists: [(words: [String], role: WordRoles)] = [
            (builtInNegators, .negator), (indefinites, .indefinite), (universalMarkers, .universalMarker),
            (universalNegators, .universalNegator), (firstPerson, .firstPerson), (sentenceEnders, .sentenceEnder),
            (clauseEnders, .clauseEnder), (questionParticles, .questionParticle),
        ]
        var roles: [String: WordRoles] = [:]
        for (words, role) in lists {
            for word in words { roles[word, default: []].insert(role) }
        }
        return ShortWordSet(roles.map { ($0.key, $0.value) })
    }()

    /// The scopes and the clause moods of a text's tokens, from one pass over
    /// its clauses and sentences. The analysis reads them once per text and
    /// hands them to the features and to the conversation signals.
    public static func read(_ tokens: [Token]) -> CueReading {
        let layout = ClauseLayout(tokens)
        return CueReading(scopes: scopes(of: tokens, layout: layout), moods: moods(of: tokens, layout: layout), clauses: layout.clauseOf,
                          shortWordKeys: layout.keys, cueKinds: layout.cues)
    }

    public static func scopes(of tokens: [Token]) -> [CueScope] {
        scopes(of: tokens, layout: ClauseLayout(tokens))
    }

    public static func moods(of tokens: [Token]) -> [ClauseMood] {
        moods(of: tokens, layout: ClauseLayout(tokens))
    }

    /// Clause and sentence index of every token: clauses end at commas,
    /// sentence punctuation and gaps (a space typed between two phrases),
    /// sentences at 。！？；, line breaks and "…". Also each token's short-word
    /// key and lexicon cues, worked out once for the scopes and the moods.
    struct ClauseLayout {
        var clauseOf: [Int]
        var sentenceOf: [Int]
        /// Number of clauses and sentences (the last ids plus one; 0 for no tokens).
        var clauseCount = 0, sentenceCount = 0
        /// `ShortWordSet.key(of:)` of each token's text (nil when longer than a short word).
        var keys: [UInt64?]
        /// What each token is in `wordRoles` (none for other words).
        var roles: [WordRoles]
        /// The cue tags of each token.
        var cues: [CueKinds]

        init(_ tokens: [Token]) {
            clauseOf = [Int](repeating: 0, count: tokens.count)
            sentenceOf = [Int](repeating: 0, count: tokens.count)
            keys = tokens.map { ShortWordSet<Void>.key(of: $0.text) }
            roles = zip(tokens, keys).map { CueScopeAnalyzer.wordRoles[$0.text, key: $1] ?? [] }
            cues = tokens.map(CueKinds.init)
            var clause = 0, sentence = 0
            for index in tokens.indices {
                let token = tokens[index]
                if index > 0, tokens[index - 1].span.end < token.span.start { clause += 1 }
                clauseOf[index] = clause
                sentenceOf[index] = sentence
                if token.kind == .punctuation || token.kind == .symbol || token.kind == .other {
                    if roles[index].contains(.sentenceEnder) || token.text.utf16.first == ellipsis {
                        clause += 1
                        sentence += 1
                    } else if roles[index].contains(.clauseEnder) {
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
        let clauseOf = layout.clauseOf, sentenceOf = layout.sentenceOf, roles = layout.roles, tokenCues = layout.cues

        var clauseScope = [CueScope](repeating: [], count: layout.clauseCount)
        var sentenceHasPayer = [Bool](repeating: false, count: layout.sentenceCount)
        for index in tokens.indices where !tokenCues[index].isEmpty {
            let cues = tokenCues[index]
            if cues.contains(.completion) { clauseScope[clauseOf[index]].insert(.completion) }
            if cues.contains(.cancel) { clauseScope[clauseOf[index]].insert(.cancelled) }
            if cues.contains(.past) { clauseScope[clauseOf[index]].insert(.past) }
            if cues.contains(.future) { clauseScope[clauseOf[index]].insert(.future) }
            if cues.contains(.payer) { sentenceHasPayer[sentenceOf[index]] = true }
        }

        // Universal denials: the clause from the indefinite word on.
        var universalStart = [Int: Int]()  // clause → first token of the denial
        var indefiniteAt = [Int: Int]()    // clause → the latest indefinite word
        for index in tokens.indices {
            let role = roles[index], clause = clauseOf[index]
            if role.contains(.indefinite) { indefiniteAt[clause] = index; continue }
            guard let start = indefiniteAt[clause], universalStart[clause] == nil else { continue }
            let closes = role.contains(.universalNegator)
                || (role.contains(.universalMarker) && index + 1 < tokens.count && clauseOf[index + 1] == clause
                    && (roles[index + 1].contains(.negator) || tokenCues[index + 1].contains(.negation)))
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
            var scope = clauseScope[clause]
            if negationClause == clause { scope.insert(.negation) }
            if let start = universalStart[clause], index >= start { scope.insert(.negation) }
            if hypotheticalSentence == sentence { scope.insert(.hypothetical) }
            if linkedSentence == sentence { scope.insert(.linkedPerson) }
            if thirdPersonSentence == sentence {
                if thirdPersonClause != clause && isFirstPerson(token, roles: roles[index]) {
                    thirdPersonSentence = -1
                } else {
                    scope.insert(sentenceHasPayer[sentence] ? .linkedPerson : .thirdPerson)
                }
            }
            result[index] = scope

            // Cues open their scope after themselves.
            let cues = tokenCues[index]
            if !cues.isEmpty {
                if cues.contains(.negation) && !isAskingEitherWay(tokens, at: index) { negationClause = clause }
                if cues.contains(.hypothetical) { hypotheticalSentence = sentence }
                if cues.contains(.thirdPerson) {
                    thirdPersonSentence = sentence
                    thirdPersonClause = clause
                }
                if !cues.isDisjoint(with: [.linkedPerson, .payer]) { linkedSentence = sentence }
            }
            if roles[index].contains(.negator) && !isAskingEitherWay(tokens, at: index) { negationClause = clause }
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

    /// Whether a token holds one of `questionWords`, compared by the UTF-8
    /// bytes Swift stores the text in (Foundation's `contains` on strings was
    /// a fifth of the whole analysis; copying out UTF-16 units per token, 2 %).
    /// A match of whole characters' bytes always starts on a character, so
    /// bytes find exactly what characters would.
    static func containsQuestionWord(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= shortestQuestionWord else { return false }
            // A plain loop: `Collection.firstRange(of:)` made the whole analysis
            // slower than `String.contains` did (0.18 M characters a second).
            for word in questionWordBytes where word.count <= bytes.count {
                let first = word[0]
                for start in 0...(bytes.count - word.count) where bytes[start] == first {
                    var matched = true
                    for offset in 1..<word.count where bytes[start + offset] != word[offset] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
            }
            return false
        }
    }

    static let questionWordBytes: [[UInt8]] = questionWords.map { Array($0.utf8) }
    static let shortestQuestionWord = questionWordBytes.map(\.count).min() ?? 1

    /// Words that make a sentence a question: asking how something works
    /// (逾期怎么算) is not saying it happened (我逾期了).
    static let questionParticles = ["？", "?", "吗", "嘛", "么", "呢", "啥", "咋", "几", "哪", "否", "咩", "乜"]
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
            if !questionClause[clause], layout.roles[index].contains(.questionParticle)
                || containsQuestionWord(token.text) {
                questionClause[clause] = true
            }
            if !personSentence[sentence], isFirstPerson(token, roles: layout.roles[index]) { personSentence[sentence] = true }
        }
        for index in tokens.indices {
            result[index] = ClauseMood(question: questionClause[layout.clauseOf[index]],
                                       firstPerson: personSentence[layout.sentenceOf[index]])
        }
        return result
    }

    /// The customer speaking of themselves: 我, 我们, 我也, 咱, 俺, 本人, 自己 …
    /// (person cues such as 我同事 or 我爸 are cues, not the customer);
    /// `roles` is the token's entry in `wordRoles`.
    static func isFirstPerson(_ token: Token, roles: WordRoles) -> Bool {
        if roles.contains(.firstPerson) { return true }
        guard token.kind == .word || token.kind == .character else { return false }
        guard let first = token.text.utf16.first else { return false }
        return first == 0x6211 || first == 0x54B1 || first == 0x4FFA  // 我, 咱, 俺
    }
}

/// The scope cues a lexicon token carries (`cue:…` tags in `lexicons/cues.tsv`).
package struct CueKinds: OptionSet, Sendable {
    package let rawValue: UInt16

    package static let negation = CueKinds(rawValue: 1 << 0)
    package static let completion = CueKinds(rawValue: 1 << 1)
    package static let cancel = CueKinds(rawValue: 1 << 2)
    package static let past = CueKinds(rawValue: 1 << 3)
    package static let future = CueKinds(rawValue: 1 << 4)
    package static let hypothetical = CueKinds(rawValue: 1 << 5)
    package static let thirdPerson = CueKinds(rawValue: 1 << 6)
    package static let linkedPerson = CueKinds(rawValue: 1 << 7)
    package static let payer = CueKinds(rawValue: 1 << 8)

    package init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The cues of a token; none unless it is a lexicon word.
    init(_ token: Token) {
        self = []
        guard token.kind == .lexicon else { return }
        for tag in token.tags where tag.category == .cue {
            switch tag.value {
            case "negation": insert(.negation)
            case "completion": insert(.completion)
            case "cancel": insert(.cancel)
            case "past": insert(.past)
            case "future": insert(.future)
            case "hypothetical": insert(.hypothetical)
            case "third_person": insert(.thirdPerson)
            case "linked_person": insert(.linkedPerson)
            case "payer": insert(.payer)
            default: break
            }
        }
    }
}
