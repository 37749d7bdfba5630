import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Testing
import XinshengTestSupport

/// The agent console in a real browser: headless Chromium (Debian's
/// package) opens `/console`, an agent types a conversation that ends in a
/// layoff, and the page must show the hardship need, the credit offers
/// greyed out by the hardship rule, and a relief offer. A screenshot is kept
/// in `test-artifacts/`.
///
/// Without Chromium the test is skipped locally; `make test` (and so CI)
/// sets `XINSHENG_REQUIRE_BROWSER=1`, which makes a missing browser a failure.
@Suite struct ConsoleBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["XINSHENG_REQUIRE_BROWSER"] == "1"

    @Test(.enabled(if: chromium != nil || required, "Chromium is not installed (apt-get install chromium)"))
    func anAgentSeesHardshipSuppressedCreditAndReliefOffers() async throws {
        let browser = try #require(Self.chromium, "XINSHENG_REQUIRE_BROWSER=1 but no Chromium: apt-get install chromium")
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.live) { client in
            let port = try #require(client.port)
            let key = TestService.keyA
            let url = "http://127.0.0.1:\(port)/console#key=\(key)&customer=c-1001&conversation=browser-1"
            let chrome = try Chromium(executable: browser, url: url)
            defer { chrome.stop() }
            let pageSocket = try await chrome.pageWebSocketURL()
            let outcome = Outcome()
            try await WebSocketClient.connect(url: pageSocket, configuration: .init(maxFrameSize: 1 << 26), logger: Logger(label: "cdp")) { inbound, outbound, _ in
                let cdp = DevTools(inbound: inbound, outbound: outbound)
                try await cdp.waitFor("document.body.dataset.ready === '1'")
                let turns = TestService.layoffConversation
                for (index, (speaker, text)) in turns.enumerated() {
                    // Pick the speaker, type the words into the box, press the send button — as an agent does.
                    _ = try await cdp.evaluate("""
                        (() => { const s = document.querySelector('#speaker'); s.value = '\(speaker)';
                                 s.dispatchEvent(new Event('change', {bubbles: true}));
                                 document.querySelector('#turn-text').focus(); return true; })()
                        """)
                    try await cdp.call("Input.insertText", ["text": text])
                    _ = try await cdp.evaluate("document.querySelector('#send').click(), true")
                    try await cdp.waitFor("Number(document.body.dataset.turns || 0) >= \(index + 1)")
                }
                try await cdp.waitFor("!!document.querySelector('#needs [data-need=\"financial_hardship\"][data-status=\"active\"]')")
                outcome.hardship = true
                outcome.creditSuppressedByHardship = try await cdp.evaluate("""
                    (() => { const cards = [...document.querySelectorAll('#suppressed .offer[data-kind="credit"]')];
                             return cards.length > 0 && cards.every(c => (c.dataset.categories || '').split(' ').includes('hardship')); })()
                    """) as? Bool ?? false
                outcome.reliefSuggested = try await cdp.evaluate("!!document.querySelector('#offers .offer[data-kind=\"relief\"]')") as? Bool ?? false
                outcome.creditSuggested = try await cdp.evaluate("!!document.querySelector('#offers .offer[data-kind=\"credit\"]')") as? Bool ?? true
                outcome.highlighted = try await cdp.evaluate("document.querySelectorAll('#turns mark').length") as? Int ?? 0
                let shot = try await cdp.call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
                if let data = (shot["data"] as? String).flatMap({ Data(base64Encoded: $0) }) {
                    outcome.screenshot = try Artifacts.write(data, name: "console-layoff.png")
                }
            }
            #expect(outcome.hardship, "the hardship need is shown as active")
            #expect(outcome.creditSuppressedByHardship, "credit offers are greyed out with the hardship reason")
            #expect(outcome.reliefSuggested, "a relief offer is suggested")
            #expect(!outcome.creditSuggested, "no credit offer is suggested")
            #expect(outcome.highlighted > 0, "evidence words are highlighted")
            #expect(outcome.screenshot != nil)
        }
    }
}

final class Outcome: @unchecked Sendable {
    var hardship = false, creditSuppressedByHardship = false, reliefSuggested = false, creditSuggested = true
    var highlighted = 0
    var screenshot: URL?
}

enum Artifacts {
    /// `test-artifacts/` at the checkout's root (ignored by git; CI keeps it).
    static func write(_ data: Data, name: String) throws -> URL {
        let directory = TestService.root.appendingPathComponent("test-artifacts")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }
}

/// A headless Chromium with the DevTools protocol on a port it picks.
final class Chromium: @unchecked Sendable {
    let process = Process()
    let profile: URL

    init(executable: String, url: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-chromium-\(UUID().uuidString)")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)",
                             "--window-size=1440,1000", "--lang=zh-CN", url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A browser that stops answering is stopped: its DevTools socket then
        // closes and the waiting call fails, instead of hanging the suite.
        _ = ChildProcessDeadline(process, seconds: 240)
    }

    /// The page's DevTools WebSocket, from the port file and `/json/list`.
    func pageWebSocketURL() async throws -> String {
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        for _ in 0..<150 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = text.split(separator: "\n").first.flatMap({ Int($0) }) {
                let list = try await Task.detached { try HTTPGet.body(port: port, path: "/json/list") }.value
                if let targets = try? JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]],
                   let page = targets.first(where: { $0["type"] as? String == "page" }), let socket = page["webSocketDebuggerUrl"] as? String {
                    return socket
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BrowserError.noDevTools
    }

    func stop() {
        if process.isRunning { process.terminate() }
        _ = process.waitUntilExit(stoppingAfter: 20)
        try? FileManager.default.removeItem(at: profile)
    }
}

enum BrowserError: Error {
    case noDevTools
    case timeout(String)
    case protocolError(String)
}

/// A plain HTTP GET on loopback (DevTools' `/json/list`).
enum HTTPGet {
    static func body(port: Int, path: String) throws -> String {
        let socket = try BlockingSocket(port: port)
        defer { socket.close() }
        try socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        var response = ""
        while let chunk = try socket.receive() { response += chunk }
        guard let start = response.range(of: "\r\n\r\n") else { return "" }
        return String(response[start.upperBound...])
    }
}

/// Commands and answers of the Chrome DevTools protocol over one WebSocket.
final class DevTools: @unchecked Sendable {
    private let outbound: WebSocketOutboundWriter
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private var nextID = 0

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
        self.messages = inbound.messages(maxSize: 1 << 26).makeAsyncIterator()
    }

    /// Sends a command and waits for its answer (events in between are skipped).
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:]) async throws -> [String: Any] {
        nextID += 1
        let id = nextID
        let request = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
        try await outbound.write(.text(String(decoding: request, as: UTF8.self)))
        while let message = try await messages.next() {
            guard case .text(let text) = message,
                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  object["id"] as? Int == id else { continue }
            if let error = object["error"] as? [String: Any] { throw BrowserError.protocolError("\(method): \(error)") }
            return object["result"] as? [String: Any] ?? [:]
        }
        throw BrowserError.protocolError("the browser closed the connection")
    }

    /// Evaluates an expression in the page (awaiting a promise) and returns its value.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] { throw BrowserError.protocolError("\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Polls a condition until it holds (20 s at most).
    func waitFor(_ condition: String) async throws {
        for _ in 0..<200 {
            if try await evaluate("Boolean(\(condition))") as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BrowserError.timeout(condition)
    }
}
