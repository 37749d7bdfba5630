import Foundation
import Testing
import Taxonomy
@testable import Profiles

@Suite struct TagRulesTests {
    typealias F = ContractFixtures

    @Test func confidence_decaysLinearlyToZeroAtExpiry() {
        let tag = NeedTag(tenant: "t", customerID: "c", need: .carPurchase, confidence: 0.8, status: .active, firstSeen: F.t0,
                          lastSeen: F.t0, expiresAt: F.t0.addingTimeInterval(100), provenance: [])
        #expect(tag.confidence(at: F.t0) == 0.8)
        #expect(abs(tag.confidence(at: F.t0.addingTimeInterval(50)) - 0.4) < 1e-9)
        #expect(tag.confidence(at: F.t0.addingTimeInterval(100)) == 0)
        #expect(tag.confidence(at: F.t0.addingTimeInterval(500)) == 0)
        var withdrawn = tag
        withdrawn.status = .withdrawn
        #expect(withdrawn.confidence(at: F.t0) == 0)
    }

    @Test func strengthening_keepsTheHigherOfDecayedAndObserved() {
        let merger = TagMerger(policy: F.policy)
        let first = merger.apply(NeedObservation(need: .education, stance: .present, confidence: 0.9), to: nil,
                                 write: F.write("a", [(.education, .present, 0.9)]))!
        // Half-way to expiry the old 0.9 is worth 0.45; a 0.6 observation wins.
        let half = F.t0.addingTimeInterval(15 * 86_400)
        let second = merger.apply(NeedObservation(need: .education, stance: .present, confidence: 0.6), to: first.tag,
                                  write: F.write("b", at: half, [(.education, .present, 0.6)]))!
        #expect(second.kind == .strengthened)
        #expect(second.tag.confidence == 0.6)
        #expect(second.tag.expiresAt == half.addingTimeInterval(30 * 86_400))
        // An expired tag seen again is added, with a new first-seen date.
        let muchLater = F.t0.addingTimeInterval(90 * 86_400)
        let readded = merger.apply(NeedObservation(need: .education, stance: .present, confidence: 0.5), to: first.tag,
                                   write: F.write("c", at: muchLater, [(.education, .present, 0.5)]))!
        #expect(readded.kind == .added)
        #expect(readded.tag.firstSeen == muchLater)
    }

    @Test func eventIDs_areStableAndDistinct() {
        let a = FeedEvent.id(tenant: "t", cause: "conv:1:3", need: .education, kind: .added)
        #expect(a == FeedEvent.id(tenant: "t", cause: "conv:1:3", need: .education, kind: .added))
        #expect(a != FeedEvent.id(tenant: "t", cause: "conv:1:3", need: .education, kind: .strengthened))
        #expect(a != FeedEvent.id(tenant: "u", cause: "conv:1:3", need: .education, kind: .added))
        #expect(a.hasPrefix("evt_") && a.count == 20)
    }

    @Test func shippedTagPolicy_loadsWithATTLForEveryNeed() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try TagPolicy.load(root.appendingPathComponent("config/tags.yaml"))
        #expect(Set(policy.ttlDays.keys) == Set(Need.allCases))
        #expect(policy.ttlDays[.travelOverseas] == 60)
        #expect(policy.ttlDays[.homePurchase] == 180)
        #expect(policy.ttlDays[.financialHardship] == 90)
    }

    @Test func tagPolicy_reportsEveryProblemWithItsLine() {
        let yaml = """
        version: 2
        ttl_days:
          home_purchase: -5
          holiday: 30
        colour: blue
        """
        #expect {
            _ = try TagPolicy.parse(yaml, file: "tags.yaml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            let paths = error.problems.map(\.path)
            return paths.contains("version") && paths.contains("ttl_days.home_purchase") && paths.contains("ttl_days.holiday")
                && paths.contains("colour") && paths.contains("ttl_days.education")
                && error.problems.first { $0.path == "ttl_days.holiday" }?.line == 4
                && error.description.contains("tags.yaml:5: colour: unknown key")
        }
    }
}
