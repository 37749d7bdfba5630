import Foundation

/// The durable home of need-tags, customer profiles and the change feed.
/// Every implementation passes the same contract tests (`ProfileStoreContract`).
///
/// The feed is a transactional outbox: a tag change and its event commit in
/// one transaction; each tenant's events are numbered 1, 2, 3… with no gap,
/// whatever the number of concurrent writers.
public protocol ProfileStore: Sendable {
    /// Applies one write: every observation through `TagMerger`, the events,
    /// and the idempotency key, in one transaction. A key written before
    /// returns `duplicate` and changes nothing.
    func record(_ write: TagWrite) async throws -> WriteOutcome

    /// `record`, then what a decision reads about the customer as the store
    /// holds it after the write (contacts at or after `since`). Stores that
    /// can do both in one transaction override it.
    func recordThenContext(_ write: TagWrite, contactsSince since: Date) async throws -> (WriteOutcome, CustomerContext)

    /// The tags of a customer (every status), by need id.
    func tags(tenant: String, customerID: String) async throws -> [NeedTag]

    /// Events of a tenant with sequence > `after`, in order, at most `limit`.
    func feed(tenant: String, after: Int64, limit: Int) async throws -> [FeedEvent]

    /// The last sequence number of a tenant's feed (0 when empty).
    func lastSequence(tenant: String) async throws -> Int64

    /// Expires every active tag whose expiry has passed at `now`, with an
    /// event each. Idempotent and safe to run concurrently: a tag expires once.
    func expire(now: Date) async throws -> [FeedEvent]

    /// Creates or replaces a customer's profile attributes.
    func upsert(_ profile: CustomerProfile) async throws

    func profile(tenant: String, customerID: String) async throws -> CustomerProfile?

    /// Records one offer contact (a send, or an agent's feedback). Returns
    /// false when its key was recorded before; nothing changes then.
    func recordContact(_ contact: OfferContact) async throws -> Bool

    /// A customer's contacts at or after `since`, oldest first.
    func contacts(tenant: String, customerID: String, since: Date) async throws -> [OfferContact]

    /// Applies `writes` as `record` would, one after the other, then saves
    /// the checkpoint `checkpoint` makes from their outcomes — all in one
    /// transaction: a batch run that crashes resumes from the checkpoint with
    /// exactly the tags it covers. Returns one outcome per write, in order.
    func recordBatch(_ writes: [TagWrite], checkpoint: @escaping @Sendable ([WriteOutcome]) throws -> MiningCheckpoint) async throws -> [WriteOutcome]

    /// A mining run's last checkpoint, nil when it never committed one.
    func miningCheckpoint(tenant: String, runID: String) async throws -> MiningCheckpoint?

    /// Forgets a mining run's checkpoint (to start it again from the top).
    func deleteMiningCheckpoint(tenant: String, runID: String) async throws
}

/// What an offer decision reads about one customer.
public struct CustomerContext: Sendable {
    public let profile: CustomerProfile?
    public let tags: [NeedTag]
    public let contacts: [OfferContact]

    public init(profile: CustomerProfile?, tags: [NeedTag], contacts: [OfferContact]) {
        self.profile = profile
        self.tags = tags
        self.contacts = contacts
    }
}

extension ProfileStore {
    public func recordThenContext(_ write: TagWrite, contactsSince since: Date) async throws -> (WriteOutcome, CustomerContext) {
        let outcome = try await record(write)
        return (outcome, try await customerContext(tenant: write.tenant, customerID: write.customerID, contactsSince: since))
    }

    /// Profile, tags and contacts since `since`, for one decision. Stores
    /// that can read them together (one snapshot, one round trip) override it.
    public func customerContext(tenant: String, customerID: String, contactsSince since: Date) async throws -> CustomerContext {
        CustomerContext(profile: try await profile(tenant: tenant, customerID: customerID),
                        tags: try await tags(tenant: tenant, customerID: customerID),
                        contacts: try await contacts(tenant: tenant, customerID: customerID, since: since))
    }
}

public enum ProfileStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(field: String, reason: String)
    case storage(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "invalid \(field): \(reason) (字段无效)"
        case .storage(let message): "profile store error: \(message) (存储错误)"
        }
    }
}
