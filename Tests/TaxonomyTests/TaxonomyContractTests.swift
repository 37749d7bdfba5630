import Foundation
import Testing
@testable import Taxonomy

@Suite struct TaxonomyContractTests {
    /// `../shared/taxonomy.json`, relative to the package root, when this checkout has it.
    static var sharedContractURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/taxonomy.json")
    }

    @Test func enums_matchTheBundledContractExactly() throws {
        let bundled = try TaxonomyContract.bundled()
        #expect(TaxonomyContract.ofEnums == bundled)
    }

    @Test func bundledContract_equalsTheSharedContract() throws {
        let url = Self.sharedContractURL
        try #require(FileManager.default.fileExists(atPath: url.path) || ProcessInfo.processInfo.environment["CI"] == nil,
                     "CI must have ../shared/taxonomy.json beside the clone")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let shared = try TaxonomyContract.decode(Data(contentsOf: url))
        #expect(try TaxonomyContract.bundled() == shared)
    }

    @Test func everyLabel_hasAChineseName() {
        for need in Need.allCases { #expect(!need.chineseName.isEmpty) }
        for intent in Intent.allCases { #expect(!intent.chineseName.isEmpty) }
        #expect(Need.homeRenovation.chineseName == "装修")
        #expect(Intent.appIssue.chineseName == "APP问题")
        #expect(Sentiment.negative.chineseName == "负面")
        #expect(Emotion.anxiety.chineseName == "焦虑")
    }

    @Test func rawValues_areTheContractIds() {
        #expect(Need.homeRenovation.rawValue == "home_renovation")
        #expect(Need(rawValue: "financial_hardship") == .financialHardship)
        #expect(Intent(rawValue: "transfer_payment") == .transferPayment)
    }

    @Test func fingerprint_changesWhenAnIdChanges() throws {
        let bundled = try TaxonomyContract.bundled()
        var needs = bundled.needs
        needs[0] = "tax_plan"
        let altered = TaxonomyContract(sentiment: bundled.sentiment, emotions: bundled.emotions,
                                       intents: bundled.intents, needs: needs, channels: bundled.channels)
        #expect(altered.fingerprint != bundled.fingerprint)
        #expect(bundled.fingerprint == TaxonomyContract.ofEnums.fingerprint)
    }

    @Test func malformedContract_isATypedError() {
        #expect(throws: TaxonomyError.self) { try TaxonomyContract.decode(Data("{}".utf8)) }
    }
}
