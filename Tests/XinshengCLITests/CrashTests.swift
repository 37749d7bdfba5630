import Foundation
import Profiles
import ProfilesPostgres
import ProfilesSQLite
import Taxonomy
import Testing
import XinshengTestSupport

/// A child process writes tags and is killed with SIGKILL at random points,
/// again and again; after every kill the store and the feed must hold: no
/// gap, no duplicate event, every tag equal to its last event. Finally the
/// writer runs to the end and the result must be identical, event for event,
/// to one uninterrupted run.
extension KilledProcessTests {
@Suite struct CrashTests {
    static let kills = 50
    static let writes = 6000

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite = "SQLite file"
        case postgres = "PostgreSQL"
        var testDescription: String { rawValue }
        static var available: [Kind] {
            let environment = ProcessInfo.processInfo.environment
            return environment["POSTGRES_URL"] != nil || environment["XINSHENG_REQUIRE_POSTGRES"] == "1" ? allCases : [.sqlite]
        }
    }

    struct Target {
        let arguments: [String]
        let tenant: String
        let open: () async throws -> any ProfileStore
    }

    func target(_ kind: Kind, directory: URL, name: String) throws -> Target {
        let policy = try TagPolicy.load(CommandLineTests.packageRoot.appendingPathComponent("config/tags.yaml"))
        let tenant = "crash-" + UUID().uuidString.lowercased().prefix(8)
        switch kind {
        case .sqlite:
            let data = directory.appendingPathComponent(name)
            return Target(arguments: ["--data-dir", data.path, "--tenant", tenant], tenant: tenant) {
                try SQLiteProfileStore(path: data.appendingPathComponent("profiles.sqlite").path, policy: policy)
            }
        case .postgres:
            let url = try #require(ProcessInfo.processInfo.environment["POSTGRES_URL"], "POSTGRES_URL is required here")
            return Target(arguments: ["--store-url", url, "--tenant", tenant], tenant: tenant) {
                try await PostgresProfileStore(url: url, policy: policy)
            }
        }
    }

    /// Starts the writer; with `commitsBeforeReturning`, returns once it has
    /// reported that many committed writes (or ended).
    func writer(_ target: Target, from: Int = 0, until: Int = writes, commitsBeforeReturning: Int? = nil) throws -> Process {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["profiles", "crash-writer", "--writes", String(until), "--from", String(from)] + target.arguments
        process.currentDirectoryURL = CommandLineTests.packageRoot
        let output = Pipe()
        process.standardOutput = commitsBeforeReturning == nil ? FileHandle.nullDevice : output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A writer that hangs is stopped (and then fails the test's checks) instead of hanging the suite.
        _ = ChildProcessDeadline(process, seconds: 600)
        if let commits = commitsBeforeReturning {
            // One line when the store is open, then one per committed write.
            var lines = 0
            while lines < commits + 1 {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                lines += data.filter { $0 == 0x0A }.count
            }
        }
        return process
    }

    /// The invariants that must hold after any crash.
    func check(_ store: any ProfileStore, tenant: String, after kill: Int) async throws -> [FeedEvent] {
        let feed = try await store.feed(tenant: tenant, after: 0, limit: 100_000)
        #expect(feed.map(\.sequence) == Array(stride(from: Int64(1), through: Int64(feed.count), by: 1)), "gap after kill \(kill)")
        #expect(Set(feed.map(\.eventID)).count == feed.count, "duplicate event after kill \(kill)")
        #expect(try await store.lastSequence(tenant: tenant) == Int64(feed.count), "counter ahead of the feed after kill \(kill)")
        for customer in 0..<7 {
            for tag in try await store.tags(tenant: tenant, customerID: "c-\(customer)") {
                let last = feed.last { $0.tag.customerID == tag.customerID && $0.tag.need == tag.need }
                #expect(last?.tag == tag.published, "tag without its event after kill \(kill)")
            }
        }
        return feed
    }

    @Test(arguments: Kind.available)
    func killedWriters_loseNothingAndDuplicateNothing(kind: Kind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let crashed = try target(kind, directory: directory, name: "crashed")
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        var resumeAt = 0
        for round in 1...Self.kills {
            // Resume a little before the last write that reached the feed, so
            // some writes are repeated (and must be ignored) and some are new.
            // Kill after a random number of commits, plus up to 3 ms so the
            // kill also lands inside transactions, not only between them.
            // Each round writes at most 200 new lines: a round the test fails
            // to kill in time (its process starved by the suites running
            // beside it) ends by itself, and the next round goes on. With one
            // writer running to the last line, every later round would have
            // had nothing left to interrupt.
            let roundEnd = min(Self.writes, resumeAt + 200)
            let process = try writer(crashed, from: max(0, resumeAt - 10), until: roundEnd,
                                     commitsBeforeReturning: Int.random(in: 1...60, using: &generator))
            try await Task.sleep(for: .microseconds(Int.random(in: 0...3_000, using: &generator)))
            let running = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let store = try await crashed.open()
            let feed = try await check(store, tenant: crashed.tenant, after: round)
            (store as? PostgresProfileStore)?.shutdown()
            let reached = feed.compactMap { event -> Int? in
                if case .archive(_, let line)? = event.tag.provenance.last?.source { return line } else { return nil }
            }.max() ?? 0
            if running && reached > resumeAt && reached < roundEnd { killedMidway += 1 }
            resumeAt = max(resumeAt, reached)
        }
        // Most kills must land mid-run (after some writes committed), or the test proves little.
        #expect(killedMidway >= Self.kills / 2, "only \(killedMidway) of \(Self.kills) kills hit a writer mid-run")
        print("crash test (\(kind.rawValue)): \(killedMidway) of \(Self.kills) kills landed mid-run")

        let finish = try writer(crashed)
        finish.waitUntilExit()
        #expect(finish.terminationStatus == 0)
        let clean = try target(kind, directory: directory, name: "clean")
        let uninterrupted = try writer(clean)
        uninterrupted.waitUntilExit()
        #expect(uninterrupted.terminationStatus == 0)

        let crashedStore = try await crashed.open(), cleanStore = try await clean.open()
        let crashedFeed = try await check(crashedStore, tenant: crashed.tenant, after: Self.kills + 1)
        let cleanFeed = try await check(cleanStore, tenant: clean.tenant, after: 0)
        #expect(!cleanFeed.isEmpty)
        // Identical event for event, up to the tenant name each run used.
        #expect(crashedFeed.map { [$0.sequence.description, $0.kind.rawValue, $0.tag.customerID, $0.tag.need.rawValue] }
                == cleanFeed.map { [$0.sequence.description, $0.kind.rawValue, $0.tag.customerID, $0.tag.need.rawValue] })
        #expect(crashedFeed.map { $0.tag.confidence } == cleanFeed.map { $0.tag.confidence })
        #expect(crashedFeed.map { $0.tag.status } == cleanFeed.map { $0.tag.status })
        (crashedStore as? PostgresProfileStore)?.shutdown()
        (cleanStore as? PostgresProfileStore)?.shutdown()
    }
}
}
