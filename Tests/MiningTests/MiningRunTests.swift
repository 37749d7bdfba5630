import Foundation
import Profiles
import ProfilesSQLite
import Testing
@testable import Mining

/// The run end to end on the example archive: every row accounted for,
/// rejects listed without their content, tags written once, a stopped and
/// resumed run identical to an uninterrupted one, shards that partition.
@Suite struct MiningRunTests {
    static let archive = packageRoot.appendingPathComponent("examples/archive/app-feedback.jsonl")

    func makeRun(_ inputs: [MiningRun.Input], store: any ProfileStore, shard: MiningShard? = nil, tenant: String = "t1") -> MiningRun {
        var run = MiningRun(inputs: inputs, mapping: ArchiveMapping(), shard: shard, tenant: tenant, analyzer: bundledAnalyzer,
                            store: store, workers: 2)
        run.chunkSize = 4
        run.commitRows = 8
        return run
    }

    static let fixedStart = Date(timeIntervalSince1970: 1_763_600_000)

    @Test func everyRowIsAnalysedOrRejected_andRejectsCarryNoText() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteProfileStore(path: directory.appendingPathComponent("p.sqlite").path, policy: tagPolicy)
        let rejects = directory.appendingPathComponent("rejects.jsonl")
        let result = try await makeRun([.init(path: Self.archive.path, format: .jsonl)], store: store)
            .run(start: .fresh, rejectsFile: rejects, now: { Self.fixedStart })
        let summary = result.summary
        #expect(summary.finished && summary.isBalanced)
        #expect(summary.rowsRead == 48)
        #expect(summary.rowsRejected == 3)
        #expect(summary.rejectsByReason == ["row.missing_text": 2, "row.not_json_object": 1])
        let lines = try String(contentsOf: rejects, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("\"file\":\"app-feedback.jsonl\"") && !$0.contains("截断") })
        #expect(summary.needRows["home_renovation", default: 0] >= 2)
        #expect(summary.needRows["financial_hardship", default: 0] >= 3)
        #expect(summary.rowsByMonth.keys.sorted().first == "2025-06")
        #expect(summary.tagWrites > 0 && summary.feedEvents >= summary.tagWrites)
        let feed = try await store.feed(tenant: "t1", after: 0, limit: 1000)
        #expect(feed.count == summary.feedEvents)
        #expect(feed.allSatisfy { if case .archive(let file, _) = $0.tag.provenance.last?.source { file == "app-feedback.jsonl" } else { false } })
        // Running it again from the top writes nothing new: the writes are idempotent.
        let again = try await makeRun([.init(path: Self.archive.path, format: .jsonl)], store: store)
            .run(start: .fresh, rejectsFile: rejects, now: { Self.fixedStart })
        #expect(again.summary.feedEvents == 0)
        #expect(try await store.lastSequence(tenant: "t1") == Int64(feed.count))
    }

    /// Stops after every commit and resumes, until done: the summary, the
    /// rejects file and the feed equal an uninterrupted run's.
    @Test func stoppedAndResumedRun_equalsAnUninterruptedOne() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputs: [MiningRun.Input] = [.init(path: Self.archive.path, format: .jsonl), .init(path: try csvCopy(in: directory).path, format: .csv),
                                         .init(path: try xmlCopy(in: directory).path, format: .xml)]
        let whole = try SQLiteProfileStore(inMemoryWith: tagPolicy)
        let expected = try await makeRun(inputs, store: whole)
            .run(start: .fresh, rejectsFile: directory.appendingPathComponent("whole.rejects"), now: { Self.fixedStart })

        let pieces = try SQLiteProfileStore(path: directory.appendingPathComponent("pieces.sqlite").path, policy: tagPolicy)
        var run = makeRun(inputs, store: pieces)
        run.stopAfterCommits = 1
        let rejects = directory.appendingPathComponent("pieces.rejects")
        var result = try await run.run(start: .fresh, rejectsFile: rejects, now: { Self.fixedStart })
        var sittings = 1
        while !result.finished {
            // A crash may leave rejects written after the checkpoint: they must not be listed twice.
            if let handle = try? FileHandle(forWritingTo: rejects) {
                _ = try handle.seekToEnd()
                try handle.write(contentsOf: Data("{\"written\":\"after the checkpoint\"}\n".utf8))
                try handle.close()
            }
            result = try await run.run(start: .resume, rejectsFile: rejects, now: { Self.fixedStart })
            sittings += 1
        }
        #expect(sittings > 5)
        #expect(comparable(result.summary) == comparable(expected.summary))
        #expect(result.summary.resumes == sittings - 1)
        #expect(try Data(contentsOf: rejects) == (try Data(contentsOf: directory.appendingPathComponent("whole.rejects"))))
        let a = try await whole.feed(tenant: "t1", after: 0, limit: 10_000)
        let b = try await pieces.feed(tenant: "t1", after: 0, limit: 10_000)
        #expect(a.map(\.eventID) == b.map(\.eventID))
        #expect(a.map(\.tag) == b.map(\.tag))
    }

    @Test func interruptedRun_mustBeResumedOrRestartedExplicitly_resumeWithNothingStartsFresh() async throws {
        let store = try SQLiteProfileStore(inMemoryWith: tagPolicy)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = makeRun([.init(path: Self.archive.path, format: .jsonl)], store: store)
        let rejects = directory.appendingPathComponent("r")
        run.stopAfterCommits = 1
        let first = try await run.run(start: .resume, rejectsFile: rejects)
        #expect(!first.resumed && !first.finished)
        await #expect(throws: MiningError.self) { _ = try await run.run(start: .fresh, rejectsFile: rejects) }
        run.stopAfterCommits = nil
        let restarted = try await run.run(start: .restart, rejectsFile: rejects)
        #expect(restarted.finished && restarted.summary.resumes == 0 && restarted.summary.rowsRead == 48)
    }

    @Test func shards_partitionTheRows() async throws {
        let store = try SQLiteProfileStore(inMemoryWith: tagPolicy)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var analysed = 0, rejected = 0
        for index in 1...3 {
            let result = try await makeRun([.init(path: Self.archive.path, format: .jsonl)], store: store,
                                           shard: try MiningShard(index: index, count: 3))
                .run(start: .fresh, rejectsFile: directory.appendingPathComponent("r\(index)"))
            #expect(result.summary.rowsRead == 48 && result.summary.isBalanced)
            #expect(result.summary.rowsOtherShards > 0)
            analysed += result.summary.rowsAnalysed
            rejected += result.summary.rowsRejected
        }
        #expect(analysed == 45 && rejected == 3)
    }

    /// The same rows as CSV (quoted where a text holds a comma).
    func csvCopy(in directory: URL) throws -> URL {
        var csv = "id,time,customer_id,text\n"
        for line in try String(contentsOf: Self.archive, encoding: .utf8).split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { continue }
            func quoted(_ value: String?) -> String { "\"" + (value ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            csv += [object["id"], object["time"], object["customer_id"], object["text"]].map(quoted).joined(separator: ",") + "\n"
        }
        return try write(csv, to: "app-feedback.csv", in: directory)
    }

    /// The same rows as XML, minified on one line (so records, not lines, key the tag writes).
    func xmlCopy(in directory: URL) throws -> URL {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feedback>"
        for line in try String(contentsOf: Self.archive, encoding: .utf8).split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { continue }
            func escaped(_ value: String?) -> String {
                (value ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: "\"", with: "&quot;")
            }
            xml += "<item id=\"\(escaped(object["id"]))\" customer_id=\"\(escaped(object["customer_id"]))\"><time>\(escaped(object["time"]))</time>"
                + (object["text"].map { "<text>\(escaped($0))</text>" } ?? "") + "</item>"
        }
        return try write(xml + "</feedback>", to: "app-feedback.xml", in: directory)
    }

    /// A summary without what differs between runs by nature (timing, resumes).
    func comparable(_ summary: MiningSummary) -> MiningSummary {
        var copy = summary
        copy.elapsedSeconds = 0
        copy.resumes = 0
        return copy
    }
}
