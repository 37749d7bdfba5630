import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import Testing

/// The WebSocket conversation and the server-sent feed, over a real socket.
@Suite struct LiveConnectionTests {
    @Test func turnsOverTheWebSocketReturnTheStateAfterEachOne() async throws {
        let service = try TestService()
        try await service.importCustomers()
        let replies = Replies()
        try await service.application.test(.live) { client in
            let key = TestService.keyA.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.ws("/v1/conversations/ws-1/live?access_token=\(key)") { inbound, outbound, _ in
                let turns = [
                    #"{"speaker": "customer", "text": "下个月拿钥匙，想问问装修分期", "customer_id": "c-1001", "turn_id": "w1"}"#,
                    #"{"speaker": "agent", "text": "好的，我帮您看看装修分期", "customer_id": "c-1001", "turn_id": "w2"}"#,
                    #"{"speaker": "customer", "text": "#,
                    #"{"speaker": "customer", "text": "下个月拿钥匙，想问问装修分期", "customer_id": "c-1001", "turn_id": "w1"}"#,
                ]
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                for turn in turns {
                    try await outbound.write(.text(turn))
                    guard case .text(let reply) = try await messages.next() else { break }
                    replies.append(reply)
                }
            }
        }
        let parsed = replies.all.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
        #expect(parsed.count == 4)
        guard parsed.count == 4 else { return }
        #expect(parsed[0]["duplicate"] as? Bool == false)
        #expect((parsed[0][path: "conversation.needs"] as? [[String: Any]])?.contains { $0["need"] as? String == "home_renovation" } == true)
        #expect(parsed[1][path: "conversation.turn_count"] as? Int == 2)
        #expect(parsed[1][path: "conversation.turns"] == nil, "a turn's answer leaves the transcript out")
        #expect(parsed[1][path: "turn.turn"] as? Int == 2)
        #expect((parsed[2]["error"] as? [String: Any])?["code"] as? String == "request.invalid_json")
        #expect(parsed[3]["duplicate"] as? Bool == true)
        #expect(parsed[3][path: "conversation.turn_count"] as? Int == 2)
    }

    @Test func aWebSocketWithoutAKeyIsRefused() async throws {
        let service = try TestService()
        try await service.application.test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.ws("/v1/conversations/ws-2/live") { _, outbound, _ in
                    try await outbound.write(.text("{}"))
                }
            }
        }
    }

    /// The stream hands over every event in order, each with its sequence
    /// as the SSE id, and a reader resuming with Last-Event-ID gets the rest.
    @Test func theFeedStreamDeliversEveryEventInOrderAndResumes() async throws {
        let service = try TestService()
        try await service.importCustomers()
        try await service.application.test(.live) { client in
            for (index, text) in ["下个月拿钥匙，装修想分期", "孩子明年出国读书，想换点外汇", "公司裁员名单有我，信用卡还不上了"].enumerated() {
                _ = try await client.execute(uri: "/v1/conversations/feed-\(index)/turns", method: .post, headers: Call.headers(),
                                             body: Call.turn(text))
            }
            let page = try await client.execute(uri: "/v1/feed?after=0&limit=1000", method: .get, headers: Call.headers(json: false))
            let expected = (page.json["events"] as? [[String: Any]] ?? []).compactMap { $0["sequence"] as? Int }
            #expect(expected.count >= 3)
            #expect(expected == Array(1...expected.count))

            let port = try #require(client.port)
            let all = try await SSEReader.read(port: port, path: "/v1/feed/stream?after=0", key: TestService.keyA, events: expected.count)
            #expect(all.map(\.id) == expected)
            #expect(all.allSatisfy { $0.data.contains("\"sequence\":\($0.id)") })
            let resumed = try await SSEReader.read(port: port, path: "/v1/feed/stream", key: TestService.keyA, lastEventID: 1,
                                                   events: expected.count - 1)
            #expect(resumed.map(\.id) == Array(expected.dropFirst()))
            // Replay: the same cursor gives identical events.
            #expect(resumed.map(\.data) == Array(all.dropFirst()).map(\.data))
        }
    }
}

final class Replies: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    var all: [String] { lock.withLock { items } }
    func append(_ item: String) { lock.withLock { items.append(item) } }
}

/// A minimal server-sent-events reader over a plain socket (URLSession on
/// Linux buffers streamed bodies), enough to check ids and order.
enum SSEReader {
    struct Event {
        let id: Int
        let data: String
    }

    /// Reads on a thread of its own: a blocking socket must not hold one of
    /// the few threads Swift concurrency (and so the server) runs on.
    static func read(port: Int, path: String, key: String, lastEventID: Int? = nil, events wanted: Int) async throws -> [Event] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try readBlocking(port: port, path: path, key: key, lastEventID: lastEventID, events: wanted) })
            }
        }
    }

    static func readBlocking(port: Int, path: String, key: String, lastEventID: Int?, events wanted: Int) throws -> [Event] {
        let socket = try BlockingSocket(port: port)
        defer { socket.close() }
        var request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(key)\r\nAccept: text/event-stream\r\n"
        if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
        try socket.send(request + "\r\n")
        var buffer = "", events: [Event] = []
        while events.count < wanted, let chunk = try socket.receive() {
            buffer += chunk.replacingOccurrences(of: "\r", with: "")  // "\r\n" is one Character: it would hide the "\n"s
            while let end = buffer.range(of: "\n\n") {
                let block = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                var id: Int?, data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if let id { events.append(Event(id: id, data: data)) }
            }
        }
        return events
    }
}

/// A blocking TCP client on loopback (for the SSE reader only).
final class BlockingSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Foundation.send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// The next bytes as text (chunked framing is left in; the reader only looks for SSE lines), nil at the end.
    func receive() throws -> String? {
        var bytes = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }

    func close() { Foundation.close(descriptor) }
}
