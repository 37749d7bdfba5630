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

    public init(mentioned: Set<Need> = [], negated: Set<Need> = [], topics: Set<Need> = [], cancels: Bool = false, refuses: Bool = false) {
        self.mentioned = mentioned
        self.negated = negated
        self.topics = topics
        self.cancels = cancels
        self.refuses = refuses
    }
}

/// Reads `TurnSignals` from a processed text.
public enum TurnSignalReader {
    /// Refusals that answer an offer when they open a turn.
    static let refusalWords: Set<String> = [
        "不用", "不用了", "不需要", "不要了", "不了", "先不用", "暂时不用", "暂时不需要", "不必", "不必了", "没必要",
        "不感兴趣", "没兴趣", "算了", "算了吧", "还是算了", "那就算了", "不办", "不办了",
    ]
    /// How many leading content tokens may precede the refusal (那个/哦/啊…).
    static let refusalWindow = 3
    /// Bare words for the thing a need is about (车, 房子, 店). Too plain to
    /// be need cues for the classifiers (车 is in 车贷 and 停车 too), they
    /// only say what a cancellation or refusal is about: in "算了车不换了，
    /// 先把店搞好" the car is cancelled (`negated`) and the shop is not (`topics`).
    static let topicWords: [String: Need] = [
        "车": .carPurchase, "车子": .carPurchase, "小车": .carPurchase,
        "房": .homePurchase, "房子": .homePurchase, "新房": .homePurchase,
        "店": .businessFunding, "店面": .businessFunding, "铺子": .businessFunding, "生意": .businessFunding,
        "婚礼": .familyMilestone, "酒席": .familyMilestone, "婚宴": .familyMilestone,
        "旅游": .travelOverseas, "旅行": .travelOverseas,
    ]

    /// - Parameter scopes: `CueScopeAnalyzer.read(text.tokens).scopes`, when the
    ///   caller has it already (the classifiers' features read the same).
    public static func read(_ text: ProcessedText, scopes: [CueScope]? = nil) -> TurnSignals {
        var signals = TurnSignals()
        let scopes = scopes ?? CueScopeAnalyzer.scopes(of: text.tokens)
        var contentTokens = 0
        for (index, token) in text.tokens.enumerated() {
            if token.kind != .punctuation && token.kind != .symbol && token.kind != .emoji {
                contentTokens += 1
                if contentTokens <= refusalWindow && refusalWords.contains(token.text) { signals.refuses = true }
            }
            let denied = !scopes[index].isDisjoint(with: [.negation, .cancelled])
            if token.kind != .lexicon, let need = topicWords[token.text] {
                if denied {
                    signals.negated.insert(need)
                } else {
                    signals.topics.insert(need)
                }
            }
            for tag in token.tags {
                switch (tag.category, tag.value) {
                case (.cue, "cancel"): signals.cancels = true
                case (.need, let value):
                    guard let need = Need(rawValue: value) else { continue }
                    signals.mentioned.insert(need)
                    if denied { signals.negated.insert(need) }
                default: continue
                }
            }
        }
        return signals
    }
}
