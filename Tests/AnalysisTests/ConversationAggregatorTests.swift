import Foundation
import Testing
import Taxonomy
@testable import Analysis
import TextPipeline

/// The aggregator's rules, one by one, on hand-made turns (the classifiers'
/// output is given, so each test pins one rule), and the signal reader on
/// real text through the real pipeline.
@Suite struct ConversationAggregatorTests {
    let aggregator = ConversationAggregator()

    func customer(_ turn: Int, needs: [(Need, Double)] = [], sentiment: Sentiment = .neutral, confidence: Double = 0.8,
                  signals: TurnSignals = TurnSignals()) -> AnalysedTurn {
        let analysis = TurnAnalysis(
            maskedText: "…", sentiment: .init(label: sentiment.rawValue, confidence: confidence, evidence: []), emotions: [],
            intent: .init(label: Intent.other.rawValue, confidence: 0.5, ranking: [], evidence: []),
            needs: needs.map { .init(need: $0.0.rawValue, confidence: $0.1, evidence: [.init(start: 0, end: 2, text: "装修", weight: 1, maskedStart: 0, maskedEnd: 2, maskedWords: "装修")]) },
            modelVersion: "test")
        return AnalysedTurn(turn: turn, speaker: .customer, analysis: analysis, signals: signals)
    }

    func agent(_ turn: Int, mentioning: Set<Need> = []) -> AnalysedTurn {
        AnalysedTurn(turn: turn, speaker: .agent, analysis: nil, signals: TurnSignals(mentioned: mentioning))
    }

    func fold(_ turns: [AnalysedTurn]) -> ConversationState {
        aggregator.fold(conversationID: "c-1", turns: turns)
    }

    @Test func agentTurnsNeverProduceNeeds() {
        // Even if an analysis is handed in for an agent turn, it is dropped.
        let agentWithAnalysis = AnalysedTurn(turn: 1, speaker: .agent, analysis: customer(1, needs: [(.homePurchase, 0.9)]).analysis,
                                             signals: TurnSignals(mentioned: [.homePurchase]))
        let state = fold([agentWithAnalysis, customer(2)])
        #expect(state.activeNeeds.isEmpty)
        #expect(state.turns == 2)
        #expect(state.customerTurns == 1)
    }

    @Test func aNeedStatedTwiceIsOneNeedWithBothMentions() {
        let state = fold([customer(1, needs: [(.homeRenovation, 0.6)]), agent(2), customer(3, needs: [(.homeRenovation, 0.7)])])
        #expect(state.activeNeeds.count == 1)
        let held = state.activeNeeds[0]
        #expect(held.mentions.map(\.turn) == [1, 3])
        #expect(held.firstTurn == 1 && held.lastTurn == 3)
        // Noisy-OR with the older mention discounted once: 1 − (1 − 0.6·0.93)(1 − 0.7).
        #expect(aggregator.decay == 0.93)
        #expect(abs(held.confidence - (1 - (1 - 0.6 * 0.93) * (1 - 0.7))) < 1e-4)
        #expect(held.confidence > 0.7)
    }

    @Test func aWeakMentionIsTentativeUntilRepeated() {
        // 0.3 < 0.45, the hold threshold.
        #expect(aggregator.holdThreshold == 0.45)
        let once = fold([customer(1, needs: [(.education, 0.3)])])
        #expect(once.activeNeeds.isEmpty)
        #expect(once.tentativeNeeds.map(\.need) == [.education])
        // 1 − (1 − 0.3·0.93)(1 − 0.3) = 0.495 ≥ 0.45.
        let twice = fold([customer(1, needs: [(.education, 0.3)]), agent(2), customer(3, needs: [(.education, 0.3)])])
        #expect(twice.activeNeeds.map(\.need) == [.education])
        // Hardship is held from 0.3, below the other needs' 0.45 …
        #expect(aggregator.hardshipHoldThreshold == 0.3)
        let hardship = fold([customer(1, needs: [(.financialHardship, 0.35)])])
        #expect(hardship.activeNeeds.map(\.need) == [.financialHardship])
        // … and a single turn just over the classifier's threshold is not yet a fact;
        // a second one makes it one: 1 − (1 − 0.25·0.93)(1 − 0.25) = 0.424.
        let weak = fold([customer(1, needs: [(.financialHardship, 0.25)])])
        #expect(weak.activeNeeds.isEmpty)
        #expect(weak.tentativeNeeds.map(\.need) == [.financialHardship])
        let repeated = fold([customer(1, needs: [(.financialHardship, 0.25)]), agent(2), customer(3, needs: [(.financialHardship, 0.25)])])
        #expect(repeated.activeNeeds.map(\.need) == [.financialHardship])
    }

    @Test func olderMentionsCountLess() {
        let state = fold([customer(1, needs: [(.carPurchase, 0.7)]), customer(3), customer(5, needs: [(.education, 0.7)])])
        let car = state.activeNeeds.first { $0.need == .carPurchase }!
        let education = state.activeNeeds.first { $0.need == .education }!
        #expect(car.confidence < education.confidence)
        #expect(state.activeNeeds.first?.need == .education)
    }

    @Test func aHeldNeedNeverMentionedAgainAgesBackToTentative() {
        // 月子中心 at 0.76, then customer turns about other things: held while
        // 0.76 · 0.93^age ≥ 0.45 (seven more turns), tentative after the eighth.
        var turns = [customer(1, needs: [(.familyMilestone, 0.76)])]
        for turn in stride(from: 3, through: 15, by: 2) { turns += [agent(turn - 1), customer(turn)] }
        #expect(fold(turns).activeNeeds.map(\.need) == [.familyMilestone])
        turns += [agent(16), customer(17)]
        let state = fold(turns)
        #expect(state.activeNeeds.isEmpty)
        #expect(state.tentativeNeeds.map(\.need) == [.familyMilestone])
        #expect(abs(state.tentativeNeeds[0].confidence - 0.76 * pow(0.93, 8)) < 1e-4)
    }

    @Test func aNeedNamedUnderNegationIsWithdrawn() {
        let state = fold([
            customer(1, needs: [(.homePurchase, 0.9)]), agent(2),
            customer(3, signals: TurnSignals(mentioned: [.homePurchase], negated: [.homePurchase], cancels: true)),
        ])
        #expect(state.activeNeeds.isEmpty)
        #expect(state.withdrawnNeeds.map(\.need) == [.homePurchase])
        #expect(state.withdrawnNeeds.first?.withdrawnAt == 3)
    }

    @Test func aCancelWithoutANameWithdrawsTheLatestRaisedNeeds() {
        let state = fold([
            customer(1, needs: [(.wealthGrowth, 0.8)]), agent(2),
            customer(3, needs: [(.carPurchase, 0.8)]), agent(4),
            customer(5, signals: TurnSignals(cancels: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.wealthGrowth])
        #expect(state.withdrawnNeeds.map(\.need) == [.carPurchase])
    }

    @Test func aTurnRaisingOnlyHardshipLeavesTheVagueCancelsTarget() {
        // 想翻新 … 一个月三千六？比我想的多点 (hardship just over its threshold) …
        // 今年先不弄了，等明年再说: the renovation goes; hardship is never withdrawn.
        let state = fold([
            customer(1, needs: [(.homeRenovation, 0.99)]), agent(2),
            customer(3, needs: [(.financialHardship, 0.24)]), agent(4),
            customer(5, signals: TurnSignals(cancels: true)),
        ])
        #expect(state.withdrawnNeeds.map(\.need) == [.homeRenovation])
        #expect(state.needs.first { $0.need == .financialHardship }?.status == .tentative)
    }

    @Test func aCancellingVerbWithdrawsTheNeedItNames() {
        // 我老公说先不装了，他要先把车贷还完: the turn names a car loan, not held;
        // 不装了 itself is the renovation.
        let state = fold([
            customer(1, needs: [(.homeRenovation, 0.9)]), agent(2),
            customer(3, signals: TurnSignals(mentioned: [.carPurchase], cancels: true, cancelledByVerb: [.homeRenovation])),
        ])
        #expect(state.activeNeeds.isEmpty)
        #expect(state.withdrawnNeeds.map(\.need) == [.homeRenovation])
        // 泰国不去了，改去日本: the classifiers still see the trip in this turn, and it stays.
        let moved = fold([
            customer(1, needs: [(.travelOverseas, 0.9)]), agent(2),
            customer(3, needs: [(.travelOverseas, 0.8)], signals: TurnSignals(cancels: true, cancelledByVerb: [.travelOverseas])),
        ])
        #expect(moved.activeNeeds.map(\.need) == [.travelOverseas])
        // A verb naming a need that is not held falls back to the other rules.
        let other = fold([
            customer(1, needs: [(.carPurchase, 0.9)]), agent(2),
            customer(3, signals: TurnSignals(cancels: true, cancelledByVerb: [.education])),
        ])
        #expect(other.withdrawnNeeds.map(\.need) == [.carPurchase])
    }

    @Test func aCancelNamingAHeldNeedWithdrawsThatOne() {
        let state = fold([
            customer(1, needs: [(.homeRenovation, 0.8)]), agent(2),
            customer(3, needs: [(.carPurchase, 0.8)]), agent(4),
            customer(5, signals: TurnSignals(mentioned: [.homeRenovation], cancels: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.carPurchase])
        #expect(state.withdrawnNeeds.map(\.need) == [.homeRenovation])
    }

    @Test func aRefusalWithdrawsOnlyWhatTheAgentOffered() {
        let offered = fold([
            customer(1, needs: [(.homeRenovation, 0.8), (.wealthGrowth, 0.7)]),
            agent(2, mentioning: [.homeRenovation]),
            customer(3, signals: TurnSignals(refuses: true)),
        ])
        #expect(offered.activeNeeds.map(\.need) == [.wealthGrowth])

        let generic = fold([
            customer(1, needs: [(.homeRenovation, 0.8)]),
            agent(2),  // 还有别的可以帮您吗？
            customer(3, signals: TurnSignals(refuses: true)),
        ])
        #expect(generic.activeNeeds.map(\.need) == [.homeRenovation])
    }

    @Test func aRefusalThatNamesWhatItRefusesWithdrawsOnlyThat() {
        // 店面装修可以用经营贷，换车的话也可以申请车贷。— 算了车不换了，先把店搞好
        let state = fold([
            customer(1, needs: [(.businessFunding, 0.8)]),
            agent(2, mentioning: [.businessFunding, .carPurchase]),
            customer(3, signals: TurnSignals(negated: [.carPurchase], topics: [.businessFunding], cancels: true, refuses: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.businessFunding])
    }

    @Test func aVagueCancelAnswersTheAgentsLastTurnFirst() {
        // 您父亲超龄了，防癌险买不了。— 那算了，不买了
        let state = fold([
            customer(1, needs: [(.retirement, 0.8)]), agent(2, mentioning: [.healthProtection]),
            customer(3, signals: TurnSignals(cancels: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.retirement])
        // 先不考虑，先把车搞定: the car the turn speaks of stays.
        let spoken = fold([
            customer(1, needs: [(.carPurchase, 0.8)]), agent(2),
            customer(3, signals: TurnSignals(topics: [.carPurchase], cancels: true)),
        ])
        #expect(spoken.activeNeeds.map(\.need) == [.carPurchase])
    }

    @Test func aCancelScopeHoldingACueWithdrawsOnlyThatCue() {
        let state = fold([
            customer(1, needs: [(.businessFunding, 0.8), (.carPurchase, 0.7)]), agent(2),
            customer(3, signals: TurnSignals(mentioned: [.carPurchase, .businessFunding], negated: [.carPurchase], cancels: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.businessFunding])
        #expect(state.withdrawnNeeds.map(\.need) == [.carPurchase])
    }

    @Test func aCancelledProductLeavesThePlanItWasFor() {
        // 想办张能在国外刷的卡…— 新卡十五个工作日。— 那这张卡就先不办了: the trip stays.
        let state = fold([
            customer(1, needs: [(.travelOverseas, 0.8)]), agent(2),
            customer(3, signals: TurnSignals(cancels: true, dropsProduct: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.travelOverseas])
        #expect(state.withdrawnNeeds.isEmpty)
        // A product named beside a need under the cancellation is rule 2's: 装修贷不办了，装修也不弄了.
        let named = fold([
            customer(1, needs: [(.homeRenovation, 0.8)]), agent(2),
            customer(3, signals: TurnSignals(mentioned: [.homeRenovation], negated: [.homeRenovation], cancels: true, dropsProduct: true)),
        ])
        #expect(named.withdrawnNeeds.map(\.need) == [.homeRenovation])
        // A need named in another clause is not what the cancellation is about:
        // 重疾险先不买了，就先弄教育金 keeps the schooling even when this turn's
        // classifiers miss it.
        let elsewhere = fold([
            customer(1, needs: [(.education, 0.8)]), agent(2),
            customer(3, signals: TurnSignals(mentioned: [.education], cancels: true, dropsProduct: true)),
        ])
        #expect(elsewhere.activeNeeds.map(\.need) == [.education])
        #expect(elsewhere.withdrawnNeeds.isEmpty)
    }

    @Test func hardshipIsNeverWithdrawnByTheAggregator() {
        let state = fold([
            customer(1, needs: [(.financialHardship, 0.9)]), agent(2, mentioning: [.financialHardship]),
            customer(3, signals: TurnSignals(mentioned: [.financialHardship], negated: [.financialHardship], cancels: true, refuses: true)),
        ])
        #expect(state.activeNeeds.map(\.need) == [.financialHardship])
    }

    @Test func aWithdrawnNeedComesBackWhenRaisedAgain() {
        let state = fold([
            customer(1, needs: [(.travelOverseas, 0.8)]),
            customer(3, signals: TurnSignals(cancels: true)),
            customer(5, needs: [(.travelOverseas, 0.7)]),
        ])
        #expect(state.activeNeeds.map(\.need) == [.travelOverseas])
        #expect(state.activeNeeds[0].withdrawnAt == nil)
        #expect(state.activeNeeds[0].mentions.count == 2)
    }

    @Test func aTurnsOwnPredictionIsNotWithdrawnByAVagueCancel() {
        // 算了，那就先办车贷吧: the cancel refers to something else.
        let state = fold([customer(1, needs: [(.carPurchase, 0.8)]), customer(3, needs: [(.carPurchase, 0.8)], signals: TurnSignals(cancels: true))])
        #expect(state.activeNeeds.map(\.need) == [.carPurchase])
    }

    @Test func moodTrendFollowsTheCustomerTurns() {
        let worsening = fold([customer(1, sentiment: .positive, confidence: 0.8), customer(3), customer(5, sentiment: .negative, confidence: 0.9)])
        #expect(worsening.moods.map(\.sentiment) == ["positive", "neutral", "negative"])
        #expect(worsening.trend?.direction == .worsening)
        let improving = fold([customer(1, sentiment: .negative, confidence: 0.9), customer(3, sentiment: .positive, confidence: 0.9)])
        #expect(improving.trend?.direction == .improving)
        let steady = fold([customer(1), customer(3)])
        #expect(steady.trend?.direction == .steady)
    }

    @Test func aResentTurnNumberIsFoldedWithoutTrouble() {
        let state = fold([customer(1, needs: [(.education, 0.8)]), customer(1, needs: [(.education, 0.8)]), customer(3)])
        #expect(state.activeNeeds.map(\.need) == [.education])
        #expect(state.customerTurns == 3)
    }

    @Test func foldingIsOrderedByTurnNumber() {
        let shuffled = fold([customer(3, signals: TurnSignals(cancels: true)), customer(1, needs: [(.education, 0.8)])])
        #expect(shuffled.activeNeeds.isEmpty)
        #expect(shuffled.lastTurn == 3)
    }

    // MARK: - Signals from real text

    func signals(_ text: String) -> TurnSignals {
        TurnSignalReader.read(TurnAnalyzerTests.processor.process(text))
    }

    @Test func signalsNameNegatedNeeds() {
        let withdrawn = signals("那买房的事先不考虑了，不好意思啊")
        #expect(withdrawn.mentioned.contains(.homePurchase))
        #expect(withdrawn.negated.contains(.homePurchase))
        #expect(withdrawn.cancels)

        let plain = signals("想咨询下首套房买房贷款利率")
        #expect(plain.mentioned.contains(.homePurchase))
        #expect(plain.negated.isEmpty)
        #expect(!plain.cancels && !plain.refuses)
    }

    @Test func signalsTellRefusalsFromNegationsInside() {
        #expect(signals("不用了，谢谢").refuses)
        #expect(signals("哦，不需要，我先看看").refuses)
        // A negation inside a question is not a refusal.
        #expect(!signals("有没有在国外看病也能直接报的那种").refuses)
        #expect(!signals("两千一可以。就是千万别让我上征信").refuses)
    }

    @Test func signalsNameTheThingACancellationIsAbout() {
        let turn = signals("算了车不换了 一下子背两笔压力太大 先把店搞好")
        #expect(turn.negated == [.carPurchase])
        #expect(turn.topics == [.businessFunding])
        #expect(signals("不买了，什么理财都不想碰了").negated.contains(.wealthGrowth))
    }

    @Test func signalsSeeAProductDropped() {
        #expect(signals("那这张卡就先不办了，别到时候卡还在快递路上").dropsProduct)
        #expect(signals("还要抵押？贷款算了，不折腾了").dropsProduct)
        #expect(!signals("算了 车先不买了").dropsProduct)
        // The trip itself is cancelled in another clause: more than the card goes.
        #expect(!signals("刚收到老板微信，说这趟取消了，改成线上开会 那卡就先不办了").dropsProduct)
        #expect(!signals("信用卡怎么还款").dropsProduct)
        // A topic particle may stand between the product and the word that drops it.
        let particle = signals("贷款么算了，看个毛病还要欠银行钞票，取四万五出来好了")
        #expect(particle.dropsProduct && particle.refuses)
        #expect(!signals("贷款么，利息多少").dropsProduct)
    }

    @Test func signalsNameTheNeedACancellingVerbGivesUp() {
        #expect(signals("等哈，我老公在旁边说先不装了，他要先把车贷还完").cancelledByVerb == [.homeRenovation])
        #expect(signals("她刚给我发微信说要分手，婚不结了").cancelledByVerb == [.familyMilestone])
        #expect(signals("签证被拒了，这趟去不成了").cancelledByVerb == [.travelOverseas])
        // Verbs that fit any plan name none.
        #expect(signals("算了 车先不买了").cancelledByVerb.isEmpty)
    }

    @Test func signalsSeeCancellations() {
        #expect(signals("签证被拒了，这趟去不成了").cancels)
        #expect(signals("算了 车先不买了").cancels)
        #expect(!signals("车贷利率现在多少").cancels)
    }
}
