import Foundation
import Offers
import Profiles
import ProfilesSQLite
import Testing
import XinshengTestSupport

/// `xinsheng mine` as a user runs it: killed with SIGKILL at random points
/// and resumed, it must end exactly as an uninterrupted run — the report,
/// the rejects file, the need-tags and the feed.
extension KilledProcessTests {
@Suite struct MineCommandTests {
    static let kills = 20

    /// 12,000 JSONL rows and 3,000 CSV rows cycled from the example archive's
    /// texts, every one with a time (rows without one are dated at the run's
    /// start, which differs between the two runs compared), bad rows included.
    func makeArchive(in directory: URL) throws -> [String] {
        let example = CommandLineTests.packageRoot.appendingPathComponent("examples/archive/app-feedback.jsonl")
        let texts = try String(contentsOf: example, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
        }.filter { !$0.isEmpty }
        var jsonl = ""
        for row in 0..<12_000 {
            if row % 997 == 5 { jsonl += "{\"id\": \"broken-\(row)\", \"text\": \n"; continue }
            let object: [String: String] = ["id": "j-\(row)", "customer_id": "c-\(row % 150)", "time": "2025-\(row % 12 + 1)-\(row % 27 + 1) 10:00",
                                            "text": texts[row % texts.count]]
            jsonl += String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self) + "\n"
        }
        var csv = "id,customer_id,time,text\n"
        for row in 0..<3_000 {
            let text = row % 499 == 7 ? "\"unterminated" : "\"" + texts[(row * 7) % texts.count].replacingOccurrences(of: "\"", with: "\"\"") + "\""
            csv += "k-\(row),c-\(row % 90),2025-\(row % 12 + 1)-03,\(text)\n"
        }
        try Data(jsonl.utf8).write(to: directory.appendingPathComponent("feedback.jsonl"))
        try Data(csv.utf8).write(to: directory.appendingPathComponent("feedback.csv"))
        return [directory.appendingPathComponent("feedback.jsonl").path, directory.appendingPathComponent("feedback.csv").path]
    }

    func mine(_ files: [String], data: URL, report: URL, extra: [String] = []) -> Process {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["mine"] + files + ["--data-dir", data.path, "--report", report.path, "--workers", "2",
                                               "--checkpoint-rows", "100", "--progress-interval", "0.05"] + extra
        process.currentDirectoryURL = CommandLineTests.packageRoot
        return process
    }

    @Test func killedAtRandomPointsAndResumed_endsExactlyAsAnUninterruptedRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-mine-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try makeArchive(in: directory)

        let whole = mine(files, data: directory.appendingPathComponent("whole"), report: directory.appendingPathComponent("whole-report"))
        whole.standardOutput = FileHandle.nullDevice
        whole.standardError = FileHandle.nullDevice
        try whole.run()
        #expect(whole.waitUntilExit(stoppingAfter: 600), "the uninterrupted run did not end")
        #expect(whole.terminationStatus == 0)

        var generator = SplitMix64(seed: 8)
        var killedMidRun = 0
        for kill in 0..<Self.kills {
            let process = mine(files, data: directory.appendingPathComponent("pieces"), report: directory.appendingPathComponent("pieces-report"),
                               extra: kill == 0 ? [] : ["--resume"])
            let progress = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = progress
            try process.run()
            let deadline = ChildProcessDeadline(process, seconds: 300)
            // Wait for a commit of this sitting (a progress line), then a random moment more
            // (short: each sitting must leave work for the next ones).
            var seen = ""
            while !seen.contains("mine_progress") {
                let data = progress.fileHandleForReading.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...60, using: &generator)))
            if process.isRunning { killedMidRun += 1 }
            Glibc.kill(process.processIdentifier, SIGKILL)
            #expect(deadline.waitUntilExit(), "sitting \(kill) reported no commit within 300 s")
        }
        #expect(killedMidRun >= Self.kills / 2, "only \(killedMidRun) of \(Self.kills) kills landed while the run was working")
        print("mine kill test: \(killedMidRun) of \(Self.kills) kills landed mid-run")

        let last = mine(files, data: directory.appendingPathComponent("pieces"), report: directory.appendingPathComponent("pieces-report"),
                        extra: ["--resume"])
        let output = Pipe()
        last.standardOutput = output
        last.standardError = FileHandle.nullDevice
        try last.run()
        let lastDeadline = ChildProcessDeadline(last, seconds: 600)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(lastDeadline.waitUntilExit(), "the last sitting did not end")
        #expect(last.terminationStatus == 0)
        #expect(printed.contains("✓"), "rows must balance: \(printed)")

        for name in ["needs.csv", "rejects.jsonl"] {
            let a = try Data(contentsOf: directory.appendingPathComponent("whole-report/\(name)"))
            let b = try Data(contentsOf: directory.appendingPathComponent("pieces-report/\(name)"))
            #expect(a == b, "\(name) differs")
        }
        let a = try comparableSummary(directory.appendingPathComponent("whole-report/summary.json"))
        let b = try comparableSummary(directory.appendingPathComponent("pieces-report/summary.json"))
        #expect(a == b)
        #expect(a.contains("\"rows_read\" : 15000") || a.contains("\"rows_read\":15000"), "every row read once")

        let policy = try TagPolicy.load(CommandLineTests.packageRoot.appendingPathComponent("config/tags.yaml"))
        let wholeStore = try SQLiteProfileStore(path: directory.appendingPathComponent("whole/profiles.sqlite").path, policy: policy)
        let piecesStore = try SQLiteProfileStore(path: directory.appendingPathComponent("pieces/profiles.sqlite").path, policy: policy)
        let wholeFeed = try await wholeStore.feed(tenant: "local", after: 0, limit: 1_000_000)
        let piecesFeed = try await piecesStore.feed(tenant: "local", after: 0, limit: 1_000_000)
        #expect(!wholeFeed.isEmpty)
        #expect(piecesFeed.map(\.sequence) == Array(stride(from: Int64(1), through: Int64(piecesFeed.count), by: 1)), "gap or duplicate")
        #expect(wholeFeed.map(\.eventID) == piecesFeed.map(\.eventID))
        #expect(wholeFeed.map(\.tag) == piecesFeed.map(\.tag))
    }

    /// summary.json without what differs between two runs by nature: timings, resumes, the start time.
    func comparableSummary(_ url: URL) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        func strip(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                var kept: [String: Any] = [:]
                for (key, inner) in dictionary where !["elapsed_seconds", "resumes", "started_at", "rows_per_second"].contains(key) {
                    kept[key] = strip(inner)
                }
                return kept
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }
}
}

extension KilledProcessTests.MineCommandTests {
    @Test func hostileXML_stopsTheRunWithAClearErrorAndNoExpansion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-mine-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("laughs.xml")
        try Data("""
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <rows><row><text>&lol3;</text></row></rows>
            """.utf8).write(to: file)
        let run = try CommandLineTests().run(["mine", file.path, "--data-dir", directory.appendingPathComponent("data").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("DOCTYPE"), "\(run.stderr)")
        #expect(!run.stderr.contains("lollol"))
    }

    @Test func rejectsAreCountedAndListed_rowsBalance() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-mine-rejects-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CommandLineTests().run(["mine", "examples/archive/app-feedback.jsonl", "--data-dir", directory.appendingPathComponent("data").path,
                                              "--report", directory.appendingPathComponent("report").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("rows read 48 = analysed 45 + rejected 3  ✓"), "\(run.stdout)")
        let rejects = try String(contentsOf: directory.appendingPathComponent("report/rejects.jsonl"), encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 3)
        for name in ["report.html", "summary.json", "needs.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report/\(name)").path))
        }
    }
}
