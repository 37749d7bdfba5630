import Analysis
import Foundation
import Profiles

extension TurnAnalyzer {
    /// A tag write stamped with this analyzer's model and lexicon versions
    /// (the provenance every stored observation carries).
    public func tagWrite(tenant: String, customerID: String, key: String, source: TagSource, at date: Date,
                         observations: [NeedObservation]) -> TagWrite {
        TagWrite(tenant: tenant, customerID: customerID, idempotencyKey: key, source: source, observedAt: date,
                 modelVersion: model.version, lexiconVersion: processor.segmenter.lexicon.fingerprint, observations: observations)
    }
}
