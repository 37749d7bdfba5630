import Foundation
import Taxonomy

/// The rules that turn an observation into a tag change — one place, so both
/// stores change tags identically.
///
/// | tag before                 | observation | tag after                                  | event        |
/// |----------------------------|-------------|--------------------------------------------|--------------|
/// | none, withdrawn or expired | present     | active, confidence as observed, new expiry | added        |
/// | active                     | present     | confidence max(decayed, observed), expiry renewed | strengthened |
/// | active                     | withdrawn   | withdrawn                                  | withdrawn    |
/// | none, withdrawn or expired | withdrawn   | unchanged                                  | none         |
///
/// Expiry (`expire`) turns an active tag whose `expiresAt` has passed into
/// an expired one.
public struct TagMerger: Sendable {
    public let policy: TagPolicy

    public init(policy: TagPolicy) {
        self.policy = policy
    }

    /// The tag after one observation and the kind of change, or nil when nothing changes.
    public func apply(_ observation: NeedObservation, to existing: NeedTag?, write: TagWrite) -> (tag: NeedTag, kind: TagChangeKind)? {
        let now = write.observedAt
        let provenance = Provenance(source: write.source, evidence: observation.evidence, modelVersion: write.modelVersion,
                                    lexiconVersion: write.lexiconVersion, observedAt: now)
        let expiry = now.addingTimeInterval(policy.ttl(of: observation.need))
        switch (existing, observation.stance) {
        case (nil, .present):
            return (NeedTag(tenant: write.tenant, customerID: write.customerID, need: observation.need,
                            confidence: observation.confidence, status: .active, firstSeen: now, lastSeen: now,
                            expiresAt: expiry, provenance: [provenance]), .added)
        case (var tag?, .present):
            let wasActive = tag.status == .active && tag.expiresAt > now
            tag.confidence = wasActive ? max(tag.confidence(at: now), observation.confidence) : observation.confidence
            if !wasActive { tag.firstSeen = now }
            tag.status = .active
            tag.lastSeen = max(tag.lastSeen, now)
            tag.expiresAt = max(tag.expiresAt, expiry)
            tag.provenance = Array((tag.provenance + [provenance]).suffix(policy.provenanceKept))
            return (tag, wasActive ? .strengthened : .added)
        case (var tag?, .withdrawn) where tag.status == .active:
            tag.status = .withdrawn
            tag.lastSeen = max(tag.lastSeen, now)
            tag.provenance = Array((tag.provenance + [provenance]).suffix(policy.provenanceKept))
            return (tag, .withdrawn)
        case (_, .withdrawn):
            return nil
        }
    }

    /// The expired form of a tag whose time has come, or nil.
    public func expire(_ tag: NeedTag, now: Date) -> NeedTag? {
        guard tag.status == .active, tag.expiresAt <= now else { return nil }
        var expired = tag
        expired.status = .expired
        return expired
    }
}
