import ArgumentParser
import Foundation
import Testing
@testable import XinshengCLI

/// `--help` is documentation: a change to it must be deliberate. Set
/// UPDATE_SNAPSHOTS=1 to rewrite the snapshots after such a change.
@Suite struct HelpSnapshotTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static let commands: [(String, ParsableCommand.Type)] = [
        ("xinsheng", XinshengCommand.self), ("analyze", AnalyzeCommand.self), ("normalize", NormalizeCommand.self),
        ("mask", MaskCommand.self), ("segment", SegmentCommand.self), ("bench", BenchCommand.self),
        ("bench-segment", BenchSegmentCommand.self), ("bench-sighan", BenchSighanCommand.self),
        ("bench-analyze", BenchAnalyzeCommand.self), ("train", TrainCommand.self), ("eval", EvalCommand.self),
        ("corpus", CorpusCommand.self), ("corpus-check", CorpusCheckCommand.self), ("corpus-stats", CorpusStatsCommand.self),
        ("profiles", ProfilesCommand.self), ("profiles-import", ProfilesImportCommand.self), ("profiles-show", ProfilesShowCommand.self),
        ("feed", FeedCommand.self), ("feed-read", FeedReadCommand.self), ("feed-expire", FeedExpireCommand.self),
        ("profiles-observe", ProfilesObserveCommand.self), ("offers", OffersCommand.self), ("offers-suggest", OffersSuggestCommand.self),
        ("offers-explain", OffersExplainCommand.self), ("offers-feedback", OffersFeedbackCommand.self),
        ("check-config", CheckConfigCommand.self), ("bench-offers", BenchOffersCommand.self), ("serve", ServeCommand.self),
        ("keys", KeysCommand.self), ("keys-new", KeysNewCommand.self), ("keys-hash", KeysHashCommand.self), ("bench-live", BenchLiveCommand.self), ("mine", MineCommand.self), ("bench-mine", BenchMineCommand.self),
    ]

    @Test(arguments: commands.map(\.0))
    func help_matchesItsSnapshot(name: String) throws {
        let command = Self.commands.first { $0.0 == name }!.1
        let help = command == XinshengCommand.self
            ? XinshengCommand.helpMessage(columns: 100)
            : XinshengCommand.helpMessage(for: command, columns: 100)
        let file = Self.snapshots.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] != nil {
            try help.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected, "help of \(name) changed; rerun with UPDATE_SNAPSHOTS=1 if intended")
        #expect(help.contains("Example"), "every --help teaches with an example")
    }
}
