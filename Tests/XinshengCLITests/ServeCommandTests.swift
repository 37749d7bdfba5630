import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import XinshengTestSupport

/// `xinsheng serve` as a process: no-configuration start, the local key,
/// a bad configuration stopping start-up before the port opens, and a
/// graceful stop that leaves every answered turn whole in the store.
@Suite(.serialized) struct ServeCommandTests {
    let cli = CommandLineTests()

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts `xinsheng serve`, waits for its banner, returns the process and what it printed.
    func start(_ arguments: [String]) async throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = CommandLineTests.packageRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    func request(_ method: String, _ url: String, key: String?, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func waitForHealth(port: Int) async throws {
        for _ in 0..<300 {
            if let (status, _) = try? await request("GET", "http://127.0.0.1:\(port)/health", key: nil), status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the service did not answer /health")
    }

    @Test func startsWithNoConfigurationAndStopsGracefully() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data")
        let port = Int.random(in: 41_000...49_000)
        let (process, output) = try await start(["--port", String(port), "--data-dir", data.path])
        try await waitForHealth(port: port)

        // The generated key: stored with mode 0600, and it opens the closed routes.
        let keyFile = data.appendingPathComponent("api-key")
        let key = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let permissions = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try await request("GET", "http://127.0.0.1:\(port)/ready", key: nil).0 == 401)
        #expect(try await request("GET", "http://127.0.0.1:\(port)/ready", key: key).0 == 200)
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("profiles.sqlite").path))

        // Turns in flight when SIGTERM arrives either finish whole or are refused; none is half-written.
        let answered = Answers()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let body = #"{"speaker":"customer","text":"下个月拿钥匙，想办装修分期","customer_id":"c-\#(index)","turn_id":"t1"}"#
                    if let (status, text) = try? await request("POST", "http://127.0.0.1:\(port)/v1/conversations/g-\(index)/turns", key: key, body: body),
                       status == 201 {
                        answered.add(text)
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(30))
            process.terminate()
        }
        #expect(process.waitUntilExit(stoppingAfter: 60), "the service did not stop within 60 s of SIGTERM")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("listening on http://127.0.0.1:\(port)"))
        #expect(printed.contains(key), "the local key is printed at start-up")
        #expect(printed.contains("stopped"))

        // Every change a 201 reported is on the feed, which has no gap.
        let reported = answered.all.reduce(0) { sum, text in
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            return sum + ((object?["tag_changes"] as? [Any])?.count ?? 0)
        }
        let feed = try cli.run(["feed", "read", "--data-dir", data.path, "--after", "0", "--limit", "1000"])
        #expect(feed.status == 0, "\(feed.stderr)")
        let sequences = feed.stdout.split(separator: "\n").compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["sequence"] as? Int
        }
        #expect(sequences == Array(0..<sequences.count).map { $0 + 1 })
        #expect(sequences.count >= reported)
    }

    /// A client that connects and never sends a request (a port check, a
    /// connection pool opening ahead of use) must not keep the service up:
    /// the graceful stop waits `XinshengServer.maximumGracefulShutdown` (10 s)
    /// at most, then the process ends.
    @Test func aSilentConnectionDoesNotHoldUpTheStop() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = Int.random(in: 41_000...49_000)
        let (process, output) = try await start(["--port", String(port), "--data-dir", directory.appendingPathComponent("data").path])
        try await waitForHealth(port: port)

        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socketDescriptor >= 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0, "the silent client connects")
        try await Task.sleep(for: .milliseconds(200))

        let stopAsked = Date()
        process.terminate()
        #expect(process.waitUntilExit(stoppingAfter: 40), "the service did not stop within 40 s of SIGTERM")
        #expect(Date().timeIntervalSince(stopAsked) >= 9, "the stop waited for the grace period")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("stopped"))
    }

    @Test func aBadConfigurationStopsStartUpWithEveryProblem() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config")
        try FileManager.default.copyItem(at: CommandLineTests.packageRoot.appendingPathComponent("config"), to: config)
        let tags = config.appendingPathComponent("tags.yaml")
        try (try String(contentsOf: tags, encoding: .utf8)).replacingOccurrences(of: "ttl_days:", with: "ttl_days:\n  home_purchas: 10")
            .write(to: tags, atomically: true, encoding: .utf8)
        let policies = config.appendingPathComponent("policies.yaml")
        try (try String(contentsOf: policies, encoding: .utf8) + "\nsurprise_key: 1\n").write(to: policies, atomically: true, encoding: .utf8)
        let keys = directory.appendingPathComponent("keys.yaml")
        try "version: 1\ntenants:\n  - id: bank_a\n    key_sha256: not-a-hash\n".write(to: keys, atomically: true, encoding: .utf8)
        let port = Int.random(in: 41_000...49_000)
        let run = try cli.run(["serve", "--port", String(port), "--data-dir", directory.appendingPathComponent("data").path,
                               "--config-dir", config.path, "--api-keys", keys.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("tags.yaml"), "\(run.stderr)")
        #expect(run.stderr.contains("home_purchas"))
        #expect(run.stderr.contains("policies.yaml"))
        #expect(run.stderr.contains("surprise_key"))
        #expect(run.stderr.contains("keys.yaml"))
        #expect(run.stderr.contains("服务未启动"))
        #expect(!run.stdout.contains("listening"))
        #expect((try? await request("GET", "http://127.0.0.1:\(port)/health", key: nil)) == nil, "the port never opened")
    }
}

final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []
    var all: [String] { lock.withLock { texts } }
    func add(_ text: String) { lock.withLock { texts.append(text) } }
}
