import Analysis
import Foundation
import Offers
import Profiles
import Taxonomy
import TextPipeline

/// One turn as it arrives from an agent's desk.
public struct TurnInput: Sendable {
    public var tenant: String
    public var conversationID: String
    public var customerID: String
    public var speaker: Speaker
    public var text: String
    /// The caller's idempotency key for the turn; a turn id seen before in
    /// the conversation changes nothing. Without one every call is a new turn.
    public var turnID: String?
    public var at: Date

    public init(tenant: String, conversationID: String, customerID: String, speaker: Speaker, text: String, turnID: String?, at: Date) {
        self.tenant = tenant
        self.conversationID = conversationID
        self.customerID = customerID
        self.speaker = speaker
        self.text = text
        self.turnID = turnID
        self.at = at
    }
}

/// Why a turn or a lookup was refused. Messages never quote customer text.
public enum ConversationServiceError: Error, Sendable, Equatable {
    case text(TextInputError)
    case invalid(field: String, reason: String)
    /// The conversation belongs to another customer.
    case customerMismatch(conversationID: String)
    case unknownConversation(String)
    case conversationTooLong(limit: Int)
    /// The profile store failed; the turn was not applied.
    case store(String)
}

/// The live conversations of every tenant, and what one turn does to them:
///
/// 1. the text is validated and analysed (customer turns fully; agent turns
///    for their signals — context for the next customer turn);
/// 2. under the conversation's own serializer, so turns of one conversation
///    apply in order, it is folded into the conversation state
///    (`ConversationAggregator`);
/// 3. a customer turn's held and withdrawn needs are written to the
///    profile as one idempotent `TagWrite` (`conv:<id>:<turn id>`), which
///    publishes its feed events in the same transaction;
/// 4. only when the write succeeded does the new state replace the old one
///    (a failed write leaves the conversation as it was: nothing half-applied);
/// 5. the offers for the agent channel are decided from the profile as that
///    write left it (read in the write's own transaction,
///    `ProfileStore.recordThenContext`; agent turns and duplicates read it).
///
/// Conversation state lives in memory (bounded: the least recently used
/// conversations are let go beyond `capacity`); need-tags, profiles,
/// contacts and the feed are in the store. A conversation let go, or lost to
/// a restart, starts again from its next turn; its tags stay on the profile.
public final class LiveConversations: Sendable {
    public let analyzer: TurnAnalyzer
    public let store: any ProfileStore
    public let evaluator: OfferEvaluator
    public let capacity: Int
    public let maxTurns: Int
    private let aggregator = ConversationAggregator()
    private let table = LockedTable()

    public init(analyzer: TurnAnalyzer, store: any ProfileStore, rules: OfferRules, capacity: Int = 2_000, maxTurns: Int = 400) {
        self.analyzer = analyzer
        self.store = store
        self.evaluator = OfferEvaluator(rules: rules)
        self.capacity = capacity
        self.maxTurns = maxTurns
    }

    /// Conversations held in memory now.
    public var count: Int { table.count }

    /// Applies one turn and returns what the agent should see.
    /// - Throws: `ConversationServiceError`.
    public func take(_ input: TurnInput) async throws -> TurnResult {
        try Self.validate(id: input.conversationID, field: "conversation_id")
        try Self.validate(id: input.customerID, field: "customer_id")
        if let turnID = input.turnID { try Self.validate(id: turnID, field: "turn_id") }
        do {
            try analyzer.processor.validate(input.text)
        } catch let error as TextInputError {
            throw ConversationServiceError.text(error)
        }
        // The expensive part runs outside the serializer: turns of different
        // conversations, and a turn and its predecessor's store write, overlap.
        let processed = analyzer.processor.process(input.text)
        let (analysis, signals) = analyzer.analyzeTurn(processed: processed, speaker: input.speaker)
        let maskedText = processed.maskedText

        let conversation = try table.conversation(tenant: input.tenant, id: input.conversationID, customerID: input.customerID,
                                                  capacity: capacity)
        let contactsSince = input.at.addingTimeInterval(-evaluator.historyWindow)
        let applied: Applied = try await conversation.serializer.run {
            let (state, records, seen) = conversation.read()
            if let turnID = input.turnID, let number = seen[turnID], let record = records.first(where: { $0.turn == number }) {
                return Applied(record: record, changes: [], duplicate: true, context: nil)
            }
            guard records.count < self.maxTurns else { throw ConversationServiceError.conversationTooLong(limit: self.maxTurns) }
            let number = state.lastTurn + 1
            let turnID = input.turnID ?? "auto-\(UUID().uuidString.lowercased())"
            let next = self.aggregator.fold(state, AnalysedTurn(turn: number, speaker: input.speaker, analysis: analysis, signals: signals))
            var changes: [TagChange] = []
            var context: CustomerContext?
            if input.speaker == .customer {
                let write = self.analyzer.tagWrite(tenant: input.tenant, customerID: input.customerID,
                                                   key: TagWrite.key(conversation: input.conversationID, turnID: turnID),
                                                   source: .conversation(id: input.conversationID, turn: number), at: input.at,
                                                   observations: next.observations)
                do {
                    // The decision's reads come from the write's own transaction: what the store holds after it.
                    let (outcome, after) = try await self.store.recordThenContext(write, contactsSince: contactsSince)
                    changes = outcome.events.map(TagChange.init)
                    context = after
                } catch {
                    throw ConversationServiceError.store(String(describing: error))
                }
            }
            let record = TurnRecord(turn: number, turnID: turnID, speaker: input.speaker, maskedText: maskedText, at: input.at,
                                    analysis: analysis)
            conversation.commit(state: next, record: record)
            return Applied(record: record, changes: changes, duplicate: false, context: context)
        }
        let (state, records, _) = conversation.read()
        let known: CustomerContext
        if let context = applied.context {
            known = context
        } else {
            known = try await customerContext(tenant: input.tenant, customerID: input.customerID, since: contactsSince)
        }
        let view = ConversationView(state: state, customerID: conversation.customerID, records: records, withTranscript: false,
                                    offers: decide(known, tenant: input.tenant, customerID: input.customerID, channel: .agent, at: input.at))
        return TurnResult(duplicate: applied.duplicate, turn: applied.record, tagChanges: applied.changes, conversation: view)
    }

    private struct Applied: Sendable {
        let record: TurnRecord
        let changes: [TagChange]
        let duplicate: Bool
        /// The customer as the store holds it after this turn's write (customer turns).
        let context: CustomerContext?
    }

    /// The current state of a conversation, with offers decided now.
    /// - Throws: `ConversationServiceError.unknownConversation` when the
    ///   tenant has no such conversation in memory.
    public func view(tenant: String, conversationID: String, at: Date) async throws -> ConversationView {
        guard let conversation = table.existing(tenant: tenant, id: conversationID) else {
            throw ConversationServiceError.unknownConversation(conversationID)
        }
        return try await view(of: conversation, at: at)
    }

    /// The offers for a customer on a channel, from the profile store.
    public func decide(tenant: String, customerID: String, channel: ContactChannel = .agent, at: Date) async throws -> OfferDecision {
        let known = try await customerContext(tenant: tenant, customerID: customerID, since: at.addingTimeInterval(-evaluator.historyWindow))
        return decide(known, tenant: tenant, customerID: customerID, channel: channel, at: at)
    }

    private func customerContext(tenant: String, customerID: String, since: Date) async throws -> CustomerContext {
        do {
            return try await store.customerContext(tenant: tenant, customerID: customerID, contactsSince: since)
        } catch {
            throw ConversationServiceError.store(String(describing: error))
        }
    }

    private func decide(_ known: CustomerContext, tenant: String, customerID: String, channel: ContactChannel, at: Date) -> OfferDecision {
        evaluator.decide(OfferContext(profile: known.profile ?? CustomerProfile(tenant: tenant, customerID: customerID),
                                      tags: known.tags, contacts: known.contacts, channel: channel, now: at))
    }

    private func view(of conversation: LiveConversation, at: Date) async throws -> ConversationView {
        let (state, records, _) = conversation.read()
        let offers = try await decide(tenant: conversation.tenant, customerID: conversation.customerID, at: at)
        return ConversationView(state: state, customerID: conversation.customerID, records: records, withTranscript: true, offers: offers)
    }

    /// Ids are 1–128 characters with no control characters.
    public static func validate(id: String, field: String) throws {
        guard !id.isEmpty, id.count <= 128 else { throw ConversationServiceError.invalid(field: field, reason: "1–128 characters") }
        guard !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ConversationServiceError.invalid(field: field, reason: "no control characters")
        }
    }
}

/// One conversation in memory. Its state changes only inside its
/// serializer; reads take the lock and copy.
final class LiveConversation: @unchecked Sendable {
    let tenant: String
    let customerID: String
    let serializer = TurnSerializer()
    private let lock = NSLock()
    private var state: ConversationState
    private var records: [TurnRecord] = []
    private var turnIDs: [String: Int] = [:]
    private var lastUsed: UInt64

    init(tenant: String, id: String, customerID: String, tick: UInt64) {
        self.tenant = tenant
        self.customerID = customerID
        self.state = ConversationState(conversationID: id)
        self.lastUsed = tick
    }

    func read() -> (ConversationState, [TurnRecord], [String: Int]) {
        lock.withLock { (state, records, turnIDs) }
    }

    func commit(state: ConversationState, record: TurnRecord) {
        lock.withLock {
            self.state = state
            records.append(record)
            turnIDs[record.turnID] = record.turn
        }
    }

    func touch(_ tick: UInt64) {
        lock.withLock { lastUsed = tick }
    }

    var lastUsedTick: UInt64 { lock.withLock { lastUsed } }
}

/// The conversations by tenant and id, least recently used let go first.
final class LockedTable: @unchecked Sendable {
    private let lock = NSLock()
    private var conversations: [String: LiveConversation] = [:]
    private var tick: UInt64 = 0

    var count: Int { lock.withLock { conversations.count } }

    private static func key(_ tenant: String, _ id: String) -> String { tenant + "\u{1f}" + id }

    func existing(tenant: String, id: String) -> LiveConversation? {
        lock.withLock {
            tick += 1
            let found = conversations[Self.key(tenant, id)]
            found?.touch(tick)
            return found
        }
    }

    func conversation(tenant: String, id: String, customerID: String, capacity: Int) throws -> LiveConversation {
        try lock.withLock {
            tick += 1
            let key = Self.key(tenant, id)
            if let found = conversations[key] {
                guard found.customerID == customerID else { throw ConversationServiceError.customerMismatch(conversationID: id) }
                found.touch(tick)
                return found
            }
            if conversations.count >= capacity {
                // Let the least recently used tenth go at once, so a full table is not scanned on every new conversation.
                let victims = conversations.sorted { $0.value.lastUsedTick < $1.value.lastUsedTick }.prefix(max(1, capacity / 10))
                for (victim, _) in victims { conversations[victim] = nil }
            }
            let created = LiveConversation(tenant: tenant, id: id, customerID: customerID, tick: tick)
            conversations[key] = created
            return created
        }
    }
}
