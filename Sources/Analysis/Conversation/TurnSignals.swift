import Classifiers
import Taxonomy
import TextPipeline

/// Who spoke a turn of a conversation.
public enum Speaker: String, Codable, Sendable, CaseIterable {
    case customer
    case agent
}

/// What a turn says about needs beyond the classifiers' labels: which needs
/// it names (by the lexicons' need cues), which of those it takes back
/// (the cue sits under a negation or a cancellation: 买房的事先不考虑了), and
/// whether it withdraws something without naming it (算了，不弄了). The
/// cancellation words are the lexicons' `cue:cancel` terms.
///
/// Read from every turn, the agent's included: an agent's question (要不要
///帮您申请装修分期？) is the context a short "不用了" answers.
public struct TurnSignals: Codable, Sendable, Equatable {
    /// Needs whose cue words the turn contains.
    public var mentioned: Set<Need> = []
    /// Needs whose cue words sit in a negation or cancellation scope.
    public var negated: Set<Need> = []
    /// Things the turn speaks of outside any negation or cancellation, by
    /// bare topic words (先把车搞定, 先把店搞好): a vague cancellation in the
    /// same turn is not about them.
    public var topics: Set<Need> = []
    /// A cancellation cue anywhere (不买了, 泡汤了, 先不考虑了, 算了).
    public var cancels = false
    /// The turn opens with a refusal (不用了, 不需要, 先不用): an answer that
    /// withdraws only what the agent just offered.
    public var refuses = false
    /// The turn drops a product that names no need (这张卡, 贷款, 分期) — it
    /// sits in a negation or cancellation scope, or just before 算了 / 不要了
    /// — and cancels nothing else in another clause: the product goes (那这张
    /// 卡就先不办了), the plan it was meant for stays.
    public var dropsProduct = false
    /// Needs a cancellation's own verb names (先不装了 → home_renovation, 婚不结了
    /// → family_milestone, 去不成了 → travel_overseas). Weaker than `negated`:
    /// a need the classifiers predict in the same turn stays (泰国不去了，改去日本).
    public var cancelledByVerb: Set<Need> = []

    public init(mentioned: Set<Need> = [], negated: Set<Need> = [], topics: Set<Need> = [], cancels: Bool = false, refuses: Bool = false,
                dropsProduct: Bool = false, cancelledByVerb: Set<Need> = []) {
        self.mentioned = mentioned
        self.negated = negated
        self.topics = topics
        self.cancels = cancels
        self.refuses = refuses
        self.dropsProduct = dropsProduct
        self.cancelledByVerb = cancelledByVerb
    }
}

/// Reads `TurnSignals` from a processed text.
public enum TurnSignalReader {
    /// Refusals that answer an offer when they open a turn.
    static let refusalWords = ShortWordSet<Void>([
        "不用", "不用了", "不需要", "不要了", "不了", "先不用", "暂时不用", "暂时不需要", "不必", "不必了", "没必要",
        "不感兴趣", "没兴趣", "算了", "算了吧", "还是算了", "那就算了", "不办", "不办了",
    ])
    /// How many leading content tokens may precede the refusal (那个/哦/啊…).
    static let refusalWindow = 3
    /// Bare words for the thing a need is about (车, 房子, 店). Too plain to
    /// be need cues for the classifiers (车 is in 车贷 and 停车 too), they
    /// only say what a cancellation or refusal is about: in "算了车不换了，
    /// 先把店搞好" the car is cancelled (`negated`) and the shop is not (`topics`).
    static let topicWords = ShortWordSet<Need>([
        ("车", .carPurchase), ("车子", .carPurchase), ("小车", .carPurchase),
        ("房", .homePurchase), ("房子", .homePurchase), ("新房", .homePurchase),
        ("店", .businessFunding), ("店面", .businessFunding), ("铺子", .businessFunding), ("生意", .businessFunding),
        ("婚礼", .familyMilestone), ("酒席", .familyMilestone), ("婚宴", .familyMilestone),
        ("旅游", .travelOverseas), ("旅行", .travelOverseas),
    ])
    /// Cancellation cues whose verb says what is given up (不装了 is the
    /// renovation, 不结了 the wedding): the turn need not name it again.
    /// Verbs that fit any plan (不买了, 不办了, 不换了) are not here.
    static let cancellingVerbs = ShortWordSet<Need>([
        ("不装了", .homeRenovation), ("不想装了", .homeRenovation),
        ("不结了", .familyMilestone), ("不生了", .familyMilestone),
        ("不读了", .education), ("不考了", .education),
        ("不去了", .travelOverseas), ("不想去了", .travelOverseas), ("去不成", .travelOverseas), ("去不了了", .travelOverseas),
    ])
    /// Bare words for a card, too plain for the product lexicon (卡 is in 卡顿
    /// too), that say what a cancellation is about (这张卡先不办了).
    static let cardWords = ShortWordSet<Void>(["卡", "这张卡", "那张卡", "张卡", "新卡", "卡片"])
    /// Words that drop the thing just before them (贷款算了, 这卡就不要了)
    /// even where no cancellation cue opens a scope.
    static let droppingWords = ShortWordSet<Void>(["算了", "算了吧", "就算了", "不要了", "不办了", "不弄了"])
    /// Words that leave a cancelling clause bare (那就 | 先 | 不折腾了).
    static let bareClauseWords = ShortWordSet<Void>(["那", "那就", "就", "先", "也", "还是", "都", "了", "吧", "啊", "哎", "唉"])
    /// Topic particles that may stand between a product and the word that
    /// drops it (贷款么算了, 这卡嘛就不要了, 分期的话算了吧).
    static let topicParticles = ShortWordSet<Void>(["么", "嘛", "呢", "的话", "啊", "呀", "就", "还是", "那"])

    /// Whether a dropping word (算了, 不要了) follows the token at `index`,
    /// across at most two topic particles; `keys` are the tokens' `ShortWordSet.key(of:)`.
    static func droppingWordFollows(_ index: Int, in tokens: [Token], keys: [UInt64?]) -> Bool {
        var next = index + 1
        while next < tokens.count, next <= index + 2, topicParticles.contains(tokens[next].text, key: keys[next]) { next += 1 }
        return next < tokens.count && droppingWords.contains(tokens[next].text, key: keys[next])
    }

    /// - Parameter cues: `CueScopeAnalyzer.read(text.tokens)`, when the caller
    ///   has it already (the classifiers' features read the same).
    public static func read(_ text: ProcessedText, cues: CueReading? = nil) -> TurnSignals {
        var signals = TurnSignals()
        let cues = cues ?? CueScopeAnalyzer.read(text.tokens)
        let scopes = cues.scopes, keys = cues.shortWordKeys
        var contentTokens = 0
        // Products are dropped clause by clause (the clauses of the cue
        // scopes). A cancellation in a clause that drops no product (这趟取消
        // 了，那卡就先不办了) cancels more than a product, unless the clause is
        // bare (贷款算了，不折腾了) and goes with the one before it.
        var clauseDropsProduct = false, clauseCancels = false, clauseNamesSomething = false
        var productDropped = false, cancelsBeyondProducts = false
        func closeClause() {
            productDropped = productDropped || clauseDropsProduct
            cancelsBeyondProducts = cancelsBeyondProducts || (clauseCancels && clauseNamesSomething && !clauseDropsProduct)
            clauseDropsProduct = false
            clauseCancels = false
            clauseNamesSomething = false
        }
        for (index, token) in text.tokens.enumerated() {
            let key = keys[index]
            if index > 0 && cues.clauses[index] != cues.clauses[index - 1] { closeClause() }
            if token.kind != .punctuation && token.kind != .symbol && token.kind != .emoji {
                contentTokens += 1
                if contentTokens <= refusalWindow && refusalWords.contains(token.text, key: key) { signals.refuses = true }
                let isCue = token.tags.contains { $0.category == .cue } || droppingWords.contains(token.text, key: key)
                if !isCue && !bareClauseWords.contains(token.text, key: key) { clauseNamesSomething = true }
            }
            let denied = !scopes[index].isDisjoint(with: [.negation, .cancelled])
            let namesNeed = token.tags.contains { $0.category == .need }
            let isProduct = cardWords.contains(token.text, key: key) || token.tags.contains { $0.category == .product }
            if isProduct, !namesNeed, denied || droppingWordFollows(index, in: text.tokens, keys: keys) { clauseDropsProduct = true }
            if cues.cueKinds[index].contains(.cancel) {
                signals.cancels = true
                clauseCancels = true
                if let need = cancellingVerbs[token.text, key: key] { signals.cancelledByVerb.insert(need) }
            }
            if token.kind != .lexicon, let need = topicWords[token.text, key: key] {
                if denied {
                    signals.negated.insert(need)
                } else {
                    signals.topics.insert(need)
                }
            }
            for tag in token.tags where tag.category == .need {
                guard let need = Need(rawValue: tag.value) else { continue }
                signals.mentioned.insert(need)
                if denied { signals.negated.insert(need) }
            }
        }
        closeClause()
        signals.dropsProduct = productDropped && !cancelsBeyondProducts
        return signals
    }
}
