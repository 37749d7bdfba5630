import Analysis
import Profiles

extension ConversationState {
    /// What the conversation says about the customer's needs, as a profile
    /// write: held needs are `present`, withdrawn ones `withdrawn`, tentative
    /// ones (a single weak mention) are not written. Evidence is the masked
    /// words only — the store never sees the customer's raw text.
    public var observations: [NeedObservation] {
        needs.compactMap { held in
            let evidence = held.mentions.flatMap(\.evidence).map {
                MaskedEvidence(start: $0.maskedStart, end: $0.maskedEnd, text: $0.maskedWords)
            }
            switch held.status {
            case .active: return NeedObservation(need: held.need, stance: .present, confidence: held.confidence, evidence: evidence)
            case .withdrawn: return NeedObservation(need: held.need, stance: .withdrawn, confidence: held.confidence)
            case .tentative: return nil
            }
        }
    }
}
