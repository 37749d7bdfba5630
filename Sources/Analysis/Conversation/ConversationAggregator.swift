import Foundation
import Taxonomy

/// Folds analysed turns into a conversation's state.
///
/// The rules, in the order they apply to each customer turn:
/// 1. **Raise.** Every need the classifiers predict in the turn is raised
///    (or strengthened) with the turn's confidence and evidence. A need
///    stated twice is one need with both mentions.
/// 2. **Withdraw by name.** A held need whose cue words the turn puts under a
///    negation or cancellation (买房的事先不考虑了, 旅行取消了) is withdrawn.
/// 3. **Withdraw by cancelling.** A turn with a cancellation cue (不弄了,
///    泡汤了, 去不成了) whose scope holds no need cue withdraws the held needs
///    the turn names elsewhere (装修明年再说，这回先不弄了), or first the held
///    need the cancelling verb itself names (先不装了 is the renovation, 婚不结了
///    the wedding, 去不成了 the trip: `TurnSignals.cancelledByVerb`). Naming
///    none, it answers what was said last: the needs the agent's previous turn
///    named (超龄了买不了防癌险。— 那算了，不买了), or else those raised by the
///    latest customer turn that raised any but hardship (算了，先不买了; a
///    turn that only sounded like hardship does not take the place of the
///    plan before it) — but not a need the turn
///    itself speaks of (先不考虑，先把车搞定). Naming needs that are not held,
///    it withdraws nothing. When the scope does hold a cue, rule 2 withdraws
///    exactly that, and the other needs the turn names stay (算了车不换了，
///    先把店搞好). A cancellation of a product that names no need (那这张卡
///    就先不办了, 贷款算了，不折腾了) drops the product, not the plan it was
///    for: it withdraws nothing, even when another clause names a held need
///    (重疾险先不买了，就先弄教育金).
/// 4. **Withdraw by refusing an offer.** A turn that opens with a refusal
///    (不用了, 不需要, 算了) and names no need withdraws the held needs the
///    agent's previous turn named (要不要办装修分期？— 不用了); a refusal of
///    anything else (还有别的需要吗？— 不用了，谢谢) withdraws nothing, and a
///    refusal that names what it refuses (算了车不换了，先把店搞好) withdraws
///    only that, by rule 2 — and a product it names (贷款就算了) only drops
///    the product, as in rule 3.
/// 5. A need the turn itself predicts is not withdrawn by it unless its cue
///    sits under the negation or cancellation (rule 2 wins over a classifier
///    that missed the scope); a withdrawn need comes back when a later turn
///    raises it again.
/// 6. `financial_hardship` is never withdrawn by the aggregator: a customer in
///    hardship must not lose that protection to a "算了" or to "千万别让我上
///    征信"; it ends by expiry or by an explicit change on the profile.
///
/// Agent turns produce no needs; their signals are kept as the context of the
/// next customer turn.
///
/// **Confidence and recency.** A held need's confidence is the noisy-OR of its
/// mentions, each discounted by how many customer turns ago it was made:
/// `1 − Π (1 − pᵢ · decay^ageᵢ)`, with `decay` = 0.93. Repetition raises
/// confidence, age lowers it. A raised need is held (`active`) while that
/// confidence is at least `holdThreshold` (0.45), and `tentative` below it — a
/// single weak mention is not yet a fact about the customer, a second one can
/// make it one. A held need that is never mentioned again ages back to
/// tentative once its confidence falls below the threshold (0.76 after eight
/// more customer turns): the talk has moved on, and conversations that turn
/// from a purchase to a layoff do not end with the purchase held.
///
/// `financial_hardship` is held from a lower confidence,
/// `hardshipHoldThreshold` (0.3): missing it costs the customer more than a
/// false alarm, but one turn just over the classifier's recall-first
/// threshold (0.21) is, over a whole conversation, more often a false alarm
/// than a fact.
///
/// All three numbers were measured on the conversations of 2026-11-24 with
/// the bundled model (README, rules 6 and 7). Decay and hold threshold, on
/// 212: 0.9 and 0.5, the values before, gave end-set micro-F1 0.849 and
/// dropped needs the talk stayed on without their keywords (the trip's
/// currency, the baby's papers); 0.93 and 0.4 gave 0.867 (0.95 and 0.4:
/// 0.864; 0.93 and 0.3: 0.865; no decay and 0.4: 0.869, but lower on the 24
/// conversations written last). Hardship, on 224: held on any mention, 22
/// conversations ended with it wrongly and 1 missed it; from 0.3, 15 and 1
/// (micro-F1 0.858 → 0.871); from 0.4, 12 and 1, but 3 of round z5's 49
/// unseen hardship lines score under 0.4 (2 under 0.3). The hold threshold
/// went 0.4 → 0.45 with the hidden layer (2026-11-25): its mixed need scores
/// put more single turns between 0.4 and 0.45, and on the 236 conversations
/// 0.4 gave 0.863, 0.45 gave 0.872 and 0.5 gave 0.868 (the linear model at
/// 0.4: 0.872); hardship from 0.4 would have given 0.878, but stays at 0.3
/// for the reason above. Latching held needs
/// until a withdrawal (160 conversations, earlier): three late-surviving
/// needs found, six superseded ones kept wrongly, micro-F1 0.896 → 0.889.
/// Expiry over days is the profile store's business.
///
/// **Mood.** Each customer turn's sentiment becomes a score (+confidence for
/// positive, −confidence for negative, 0 for neutral); the trend compares the
/// mean of the first customer turns with that of the last ones (two each from
/// four turns on, one each before), and a change above `trendThreshold` is
/// improving or worsening.
public struct ConversationAggregator: Sendable {
    public var decay: Double
    public var holdThreshold: Double
    public var hardshipHoldThreshold: Double
    public var trendThreshold: Double

    public init(decay: Double = 0.93, holdThreshold: Double = 0.45, hardshipHoldThreshold: Double = 0.3, trendThreshold: Double = 0.25) {
        self.decay = decay
        self.holdThreshold = holdThreshold
        self.hardshipHoldThreshold = hardshipHoldThreshold
        self.trendThreshold = trendThreshold
    }

    /// The state after one more turn.
    public func fold(_ state: ConversationState, _ turn: AnalysedTurn) -> ConversationState {
        var state = state
        state.turns += 1
        state.lastTurn = max(state.lastTurn, turn.turn)
        guard turn.speaker == .customer, let analysis = turn.analysis else {
            state.lastAgentSignals = turn.signals
            return state
        }

        let active = Set(state.needs.filter { $0.status != .withdrawn }.map(\.need))
        // 1. Raise.
        var predicted: Set<Need> = []
        for result in analysis.needs {
            guard let need = Need(rawValue: result.need) else { continue }
            predicted.insert(need)
            let mention = NeedMention(turn: turn.turn, confidence: result.confidence, evidence: result.evidence)
            if let index = state.needs.firstIndex(where: { $0.need == need }) {
                state.needs[index].status = .tentative
                state.needs[index].withdrawnAt = nil
                state.needs[index].lastTurn = turn.turn
                state.needs[index].mentions.append(mention)
            } else {
                state.needs.append(HeldNeed(need: need, status: .tentative, confidence: result.confidence,
                                            firstTurn: turn.turn, lastTurn: turn.turn, withdrawnAt: nil, mentions: [mention]))
            }
        }

        // 2. and 3. Withdraw.
        let signals = turn.signals
        var withdrawing = signals.negated
        let namesNothing = signals.mentioned.isEmpty && signals.negated.isEmpty && signals.topics.isEmpty
        // A cancellation that only drops a product (那这张卡就先不办了, 贷款么
        // 算了，看个毛病还要欠银行钱): the product goes, the plan it was for stays.
        if signals.cancels && withdrawing.isEmpty && !signals.dropsProduct {
            let namedByVerb = signals.cancelledByVerb.intersection(active)
            if !namedByVerb.isEmpty {
                withdrawing = namedByVerb
            } else if namesNothing {
                let offered = state.lastAgentSignals?.mentioned ?? []
                withdrawing = offered.isEmpty ? state.latestRaised : offered
            } else {
                withdrawing = signals.mentioned.intersection(active).subtracting(predicted)
            }
        }
        if signals.refuses, namesNothing, !signals.dropsProduct, let offered = state.lastAgentSignals?.mentioned {
            withdrawing.formUnion(offered)
        }
        withdrawing.subtract(predicted.subtracting(signals.negated))
        withdrawing.remove(.financialHardship)
        for index in state.needs.indices where state.needs[index].status != .withdrawn && withdrawing.contains(state.needs[index].need) {
            state.needs[index].status = .withdrawn
            state.needs[index].withdrawnAt = turn.turn
        }
        // What a later bare "算了" takes back: hardship is never withdrawn, so a
        // turn that raises only hardship leaves the plan before it in place.
        let withdrawable = predicted.subtracting([.financialHardship])
        if !withdrawable.isEmpty { state.latestRaised = withdrawable }

        // Mood.
        let score: Double
        switch analysis.sentiment.label {
        case Sentiment.positive.rawValue: score = analysis.sentiment.confidence
        case Sentiment.negative.rawValue: score = -analysis.sentiment.confidence
        default: score = 0
        }
        state.moods.append(TurnMood(turn: turn.turn, sentiment: analysis.sentiment.label, confidence: analysis.sentiment.confidence,
                                    emotions: analysis.emotions.map(\.label), score: score))
        state.trend = trend(of: state.moods)

        // Confidence with recency: age counts customer turns, whose order the moods keep.
        let ordinal = Dictionary(state.moods.enumerated().map { ($1.turn, $0) }, uniquingKeysWith: { _, later in later })
        let now = state.moods.count - 1
        for index in state.needs.indices {
            var keep = 1.0
            for mention in state.needs[index].mentions {
                let age = Double(now - (ordinal[mention.turn] ?? now))
                keep *= 1 - mention.confidence * pow(decay, age)
            }
            state.needs[index].confidence = ((1 - keep) * 10_000).rounded() / 10_000
            if state.needs[index].status != .withdrawn {
                let threshold = state.needs[index].need == .financialHardship ? hardshipHoldThreshold : holdThreshold
                let holds = state.needs[index].confidence >= threshold
                state.needs[index].status = holds ? .active : .tentative
            }
        }
        state.lastAgentSignals = nil
        return state
    }

    /// Folds a whole conversation, turns in order.
    public func fold(conversationID: String, turns: [AnalysedTurn]) -> ConversationState {
        turns.sorted { $0.turn < $1.turn }.reduce(ConversationState(conversationID: conversationID), fold)
    }

    func trend(of moods: [TurnMood]) -> SentimentTrend {
        let window = max(1, min(2, moods.count / 2))
        func mean(_ slice: ArraySlice<TurnMood>) -> Double {
            (slice.map(\.score).reduce(0, +) / Double(slice.count) * 10_000).rounded() / 10_000
        }
        let start = mean(moods.prefix(window)), end = mean(moods.suffix(window))
        let direction: SentimentTrend.Direction = end - start > trendThreshold ? .improving
            : start - end > trendThreshold ? .worsening : .steady
        return SentimentTrend(direction: direction, start: start, end: end)
    }
}
