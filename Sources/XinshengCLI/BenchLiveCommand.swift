import Analysis
import APIServer
import ArgumentParser
import AsyncHTTPClient
import ConversationService
import Foundation
import Histogram
import HummingbirdWSClient
import Logging
import NIOCore
import Offers
import Profiles

struct BenchLiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Load the live service on loopback: customer turns at a fixed rate over HTTP and WebSocket, with p50/p99/p99.9 latency.",
        discussion: """
        Starts `xinsheng serve` as a child process (a fresh data directory,
        the embedded SQLite store unless --store-url is given), then for
        --duration seconds per transport sends customer turns at --rate a
        second: HTTP POST /v1/conversations/{id}/turns over --connections
        keep-alive connections, then the WebSocket /v1/conversations/{id}/live
        over --websockets sockets (a new conversation every 10 turns, the
        sockets' conversations ending at different times). The
        schedule is open-loop and latency is measured from each turn's
        scheduled time, so a stall counts against every turn it delays.
        Texts are the customer turns of corpora/conversations. Every
        conversation is a new customer unless --customers says how many
        the conversations cycle over (then tags pile up on each profile,
        and every decision reads and weighs more of them).

        The baseline, measured first in the same run, is the pipeline alone
        in this process (analyse, fold, write to a SQLite store, decide), one
        turn at a time; the ratios show what HTTP and WebSocket add.
        The child's RSS is read every second; with at least a minute in all,
        the figure after one minute and at the end are compared.

        Examples:
          xinsheng bench live
          xinsheng bench live --rate 500 --duration 150
          xinsheng bench live --store-url postgres://xinsheng@127.0.0.1:5432/xinsheng_bench
        """
    )

    @Option(name: .long, help: ArgumentHelp("Customer turns a second.", valueName: "n"))
    var rate: Double = 500

    @Option(name: .long, help: ArgumentHelp("Seconds of load per transport (HTTP, then WebSocket).", valueName: "s"))
    var duration: Double = 30

    @Option(name: .long, help: ArgumentHelp("HTTP keep-alive connections.", valueName: "n"))
    var connections: Int = 16

    @Option(name: .long, help: ArgumentHelp("WebSocket connections.", valueName: "n"))
    var websockets: Int = 32

    @Option(name: .long, help: ArgumentHelp("http, ws or both.", valueName: "which"))
    var transport: String = "both"

    @Option(name: .long, help: ArgumentHelp("PostgreSQL store for the service instead of SQLite.", valueName: "url"))
    var storeURL: String?

    @Option(name: .long, help: ArgumentHelp("""
        Customers the conversations cycle over (their tags pile up, as for customers who call back every few \
        minutes); 0: every conversation is a new customer.
        """, valueName: "n"))
    var customers: Int = 0

    @Option(name: .long, help: ArgumentHelp("Turns of the in-process baseline.", valueName: "n"))
    var baselineTurns: Int = 2000

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var config: ConfigOptions

    func validate() throws {
        guard rate > 0, rate <= 100_000 else { throw ValidationError("--rate must be between 1 and 100000") }
        guard duration >= 1 else { throw ValidationError("--duration must be at least 1 second") }
        guard customers >= 0 else { throw ValidationError("--customers must be 0 or more") }
        guard connections >= 1, websockets >= 1 else { throw ValidationError("--connections and --websockets must be at least 1") }
        guard ["http", "ws", "both"].contains(transport) else { throw ValidationError("--transport is http, ws or both") }
    }

    func run() async throws {
        let texts = try Self.customerTurns()
        print("bench live: \(texts.count) customer turns from corpora/conversations, \(Int(rate)) turns/s for \(Int(duration)) s per transport, "
              + "\(storeURL == nil ? "SQLite" : "PostgreSQL") store, \(ProcessInfo.processInfo.activeProcessorCount) cores")

        let baseline = try await baselineLatency(texts: texts)
        print(String(format: "baseline   in-process pipeline, one turn at a time:   p50 %@  p99 %@  p99.9 %@  (%d turns)",
                     Self.ms(baseline.valueAtPercentile(50)), Self.ms(baseline.valueAtPercentile(99)), Self.ms(baseline.valueAtPercentile(99.9)),
                     Int(baseline.totalCount)))

        let server = try await ServedChild.start(storeURL: storeURL, pipeline: pipeline, model: model, config: config)
        defer { server.stop() }
        let sampler = RSSSampler(pid: server.pid)
        sampler.start()

        var results: [(String, LoadResult)] = []
        var serverSide: String?
        if transport != "ws" {
            results.append(("HTTP", try await httpLoad(server: server, texts: texts)))
            serverSide = try? await server.turnLatencyShares()
        }
        if transport != "http" {
            results.append(("WebSocket", try await webSocketLoad(server: server, texts: texts)))
        }
        sampler.stop()

        let target = 5_000_000.0
        for (name, result) in results {
            let p99 = result.histogram.valueAtPercentile(99)
            print(String(format: "%@ sent %d, ok %d, errors %d, achieved %.1f/s:  p50 %@  p99 %@  p99.9 %@  max %@  · p99 %.1f× baseline · target p99 < 5 ms: %@",
                         BenchTiming.pad(name, 10), result.sent, result.ok, result.errors, result.achievedRate,
                         Self.ms(result.histogram.valueAtPercentile(50)), Self.ms(p99), Self.ms(result.histogram.valueAtPercentile(99.9)),
                         Self.ms(result.histogram.max), Double(p99) / Double(max(1, baseline.valueAtPercentile(99))),
                         Double(p99) < target && result.errors == 0 ? "met" : "NOT met"))
        }
        if let serverSide {
            print("           inside the service (its own histogram of POST …/turns, from /metrics): \(serverSide)")
        }
        let samples = sampler.samples
        if let first = samples.first, let last = samples.last {
            var line = String(format: "RSS of the service: start %.1f MB, end %.1f MB after %.0f s", first.megabytes, last.megabytes, last.seconds)
            if let minute = samples.first(where: { $0.seconds >= 60 }), last.seconds >= 120 {
                line += String(format: "; after 1 min %.1f MB, end %+.1f%% of that (target within ±10%%)", minute.megabytes,
                               (last.megabytes / minute.megabytes - 1) * 100)
            }
            print(line)
        }
    }

    // MARK: Baseline

    /// The pipeline in this process, with a SQLite file store: what a turn
    /// costs before any network is involved.
    func baselineLatency(texts: [String]) async throws -> Histogram<UInt64> {
        let analyzer = try model.makeAnalyzer(pipeline)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-bench-baseline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configDirectory = try config.directory()
        let store = try await StoreOptions.open(dataDirectory: directory, postgresURL: nil,
                                                policy: try TagPolicy.load(configDirectory.appendingPathComponent("tags.yaml")))
        let conversations = LiveConversations(analyzer: analyzer, store: store, rules: try config.loadOfferRules())
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000)
        for index in 0..<(baselineTurns + 200) {
            let input = TurnInput(tenant: "bench", conversationID: "base-\(index / 10)", customerID: customer(conversation: index / 10, prefix: "base"),
                                  speaker: .customer, text: texts[index % texts.count], turnID: nil, at: Date())
            let started = ContinuousClock.now
            _ = try await conversations.take(input)
            if index >= 200 { _ = histogram.record(UInt64((ContinuousClock.now - started).nanoseconds)) }  // the first 200 warm up
        }
        return histogram
    }

    // MARK: Load

    struct LoadResult {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000)
        var sent = 0, ok = 0, errors = 0
        var achievedRate = 0.0
    }

    func httpLoad(server: ServedChild, texts: [String]) async throws -> LoadResult {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let total = Int(rate * duration)
        let interval = 1.0 / rate
        let recorder = LatencyRecorder()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                let scheduled = started + .seconds(Double(index) * interval)
                try? await Task.sleep(until: scheduled, clock: .continuous)
                group.addTask {
                    var request = HTTPClientRequest(url: "\(server.baseURL)/v1/conversations/http-\(index / 10)/turns")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(server.key)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: Self.turnJSON(texts[index % texts.count], customer: customer(conversation: index / 10, prefix: "http"),
                                                                           turnID: "h\(index)")))
                    do {
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 22)
                        recorder.record(since: scheduled, ok: response.status.code < 300)
                    } catch {
                        recorder.record(since: scheduled, ok: false)
                    }
                }
            }
        }
        try await client.shutdown()
        return recorder.result(sent: total, elapsed: ContinuousClock.now - started)
    }

    func webSocketLoad(server: ServedChild, texts: [String]) async throws -> LoadResult {
        let total = Int(rate * duration)
        let interval = 1.0 / rate
        let recorder = LatencyRecorder()
        let started = ContinuousClock.now
        let sockets = websockets
        let key = server.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? server.key
        let logger = { var logger = Logger(label: "bench-ws"); logger.logLevel = .critical; return logger }()
        await withTaskGroup(of: Void.self) { group in
            for socket in 0..<sockets {
                group.addTask {
                    // This socket's turns: socket, socket + sockets, …; ten per conversation, one connection per conversation.
                    let mine = Array(stride(from: socket, to: total, by: sockets))
                    for (session, turns) in Self.sessions(of: mine, socket: socket).enumerated() {
                        let conversation = "ws-\(socket)-\(session)"
                        do {
                            try await WebSocketClient.connect(url: "\(server.webSocketBase)/v1/conversations/\(conversation)/live?access_token=\(key)",
                                                              configuration: .init(maxFrameSize: 1 << 22), logger: logger) { inbound, outbound, _ in
                                var replies = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                                for index in turns {
                                    let scheduled = started + .seconds(Double(index) * interval)
                                    try await Task.sleep(until: scheduled, clock: .continuous)
                                    let body = Self.turnJSON(texts[index % texts.count], customer: customer(conversation: session * sockets + socket, prefix: "ws"), turnID: "w\(index)")
                                    try await outbound.write(.text(String(decoding: body, as: UTF8.self)))
                                    guard case .text(let reply) = try await replies.next() else { break }
                                    recorder.record(since: scheduled, ok: !reply.hasPrefix("{\"error\""))
                                }
                            }
                        } catch {
                            recorder.failed(turns.count)
                        }
                    }
                }
            }
        }
        return recorder.result(sent: total, elapsed: ContinuousClock.now - started)
    }

    // MARK: Helpers

    /// A socket's turns cut into conversations of ten, the first one shorter
    /// by the socket's number (1–10 turns), so conversations on different
    /// sockets end at different times, as agents' do. Cut in step, every
    /// socket would hang up and reconnect within the same 64 ms, a storm of
    /// handshakes no agent floor produces, every 640 ms.
    static func sessions(of turns: [Int], socket: Int) -> [[Int]] {
        var sessions: [[Int]] = []
        var start = 0, size = socket % 10 + 1
        while start < turns.count {
            sessions.append(Array(turns[start..<min(start + size, turns.count)]))
            start += size
            size = 10
        }
        return sessions
    }

    /// The customer of a conversation: its own, or one of --customers in turn.
    func customer(conversation: Int, prefix: String) -> String {
        customers > 0 ? "c-\(conversation % customers)" : "\(prefix)-c-\(conversation)"
    }

    static func turnJSON(_ text: String, customer: String, turnID: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: ["speaker": "customer", "text": text, "customer_id": customer, "turn_id": turnID])) ?? Data()
    }

    /// The customer turns of the hand-written conversations.
    static func customerTurns() throws -> [String] {
        guard let folder = ProjectPaths.projectFolder("corpora/conversations") else {
            throw CLIError.notFound(what: "corpora/conversations", option: "a checkout with corpora/")
        }
        var texts: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        where name.hasSuffix(".jsonl") && !name.hasSuffix(".ends.jsonl") {
            let content = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in content.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["speaker"] as? String == "customer", let text = object["text"] as? String else { continue }
                texts.append(text)
            }
        }
        guard !texts.isEmpty else { throw CLIError.notFound(what: "customer turns in corpora/conversations", option: "a checkout with corpora/") }
        return texts
    }

    static func ms(_ nanoseconds: UInt64) -> String { String(format: "%.2f ms", Double(nanoseconds) / 1e6) }
}

/// Latencies from many tasks into one histogram.
final class LatencyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000)
    private var ok = 0, errors = 0

    func record(since scheduled: ContinuousClock.Instant, ok succeeded: Bool) {
        let nanoseconds = UInt64(max(0, (ContinuousClock.now - scheduled).nanoseconds))
        lock.withLock {
            _ = histogram.record(nanoseconds)
            if succeeded { ok += 1 } else { errors += 1 }
        }
    }

    func failed(_ count: Int) { lock.withLock { errors += count } }

    func result(sent: Int, elapsed: Duration) -> BenchLiveCommand.LoadResult {
        lock.withLock {
            var result = BenchLiveCommand.LoadResult()
            result.histogram = histogram
            result.sent = sent
            result.ok = ok
            result.errors = errors
            result.achievedRate = Double(ok) / (Double(elapsed.nanoseconds) / 1e9)
            return result
        }
    }
}

/// `xinsheng serve` as a child process on a free port, with a fresh data directory.
final class ServedChild: @unchecked Sendable {
    let process = Process()
    let dataDirectory: URL
    let port: Int
    let key: String
    var pid: Int32 { process.processIdentifier }
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var webSocketBase: String { "ws://127.0.0.1:\(port)" }

    private init(dataDirectory: URL, port: Int, key: String) {
        self.dataDirectory = dataDirectory
        self.port = port
        self.key = key
    }

    static func start(storeURL: String?, pipeline: PipelineOptions, model: ModelOptions, config: ConfigOptions) async throws -> ServedChild {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-bench-live-\(UUID().uuidString)")
        let port = Int.random(in: 20_000...40_000)
        var arguments = ["serve", "--port", String(port), "--data-dir", directory.path, "--log-level", "warning", "--rate-limit", "1000000",
                         "--config-dir", try config.directory().path, "--lexicons", try ProjectPaths.lexiconDirectory(explicit: pipeline.lexicons).path,
                         "--model", try ProjectPaths.modelDirectory(explicit: model.model).path]
        if let storeURL { arguments += ["--store-url", storeURL] }
        let (key, _) = try LocalKey.loadOrCreate(in: directory)  // the bench writes the child's key, so it knows it
        let child = ServedChild(dataDirectory: directory, port: port, key: key)
        child.process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        child.process.arguments = arguments
        child.process.standardOutput = FileHandle.nullDevice
        try child.process.run()
        for _ in 0..<300 {
            if let answer = try? await Self.get("\(child.baseURL)/health"), answer { return child }
            guard child.process.isRunning else { throw CLIError.badInput(path: "xinsheng serve", reason: "the service exited at start-up") }
            try await Task.sleep(for: .milliseconds(100))
        }
        child.stop()
        throw CLIError.badInput(path: "xinsheng serve", reason: "the service did not answer /health within 30 s")
    }

    /// The service's own view of `POST /v1/conversations/{id}/turns`: the
    /// share of requests within each bucket of its latency histogram, read
    /// from `/metrics` (time from the request's arrival to its answer,
    /// without the client and the network).
    func turnLatencyShares() async throws -> String {
        var request = HTTPClientRequest(url: "\(baseURL)/metrics")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 24))
        var counts: [Double: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("xinsheng_http_request_duration_seconds_bucket{")
            && line.contains("route=\"/v1/conversations/{id}/turns\"") && line.contains("method=\"POST\"") {
            guard let leStart = line.range(of: "le=\""), let close = line[leStart.upperBound...].firstIndex(of: "\""),
                  let bound = Double(line[leStart.upperBound..<close]) ?? (line[leStart.upperBound..<close] == "+Inf" ? .infinity : nil),
                  let count = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            counts[bound, default: 0] += count
        }
        guard let total = counts[.infinity], total > 0 else { return "no turns recorded" }
        return counts.keys.filter { $0.isFinite && $0 >= 0.001 && $0 <= 0.025 }.sorted().map { bound in
            String(format: "≤%g ms %.2f%%", bound * 1000, 100 * (counts[bound] ?? 0) / total)
        }.joined(separator: ", ")
    }

    static func get(_ url: String) async throws -> Bool {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
        return response.status == .ok
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}

/// Resident memory of a process, once a second, from /proc.
final class RSSSampler: @unchecked Sendable {
    struct Sample {
        let seconds: Double
        let megabytes: Double
    }

    let pid: Int32
    private let lock = NSLock()
    private var collected: [Sample] = []
    private var task: Task<Void, Never>?

    init(pid: Int32) { self.pid = pid }

    var samples: [Sample] { lock.withLock { collected } }

    func start() {
        let started = ContinuousClock.now
        task = Task { [pid] in
            while !Task.isCancelled {
                if let megabytes = ProcessMemory.residentMegabytes(pid: pid) {
                    let seconds = Double((ContinuousClock.now - started).nanoseconds) / 1e9
                    self.lock.withLock { self.collected.append(Sample(seconds: seconds, megabytes: megabytes)) }
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func stop() {
        task?.cancel()
        if let megabytes = ProcessMemory.residentMegabytes(pid: pid), let last = samples.last {
            lock.withLock { collected.append(Sample(seconds: last.seconds + 1, megabytes: megabytes)) }
        }
    }
}
