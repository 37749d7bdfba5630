import Foundation
import HTTPTypes
import Hummingbird
import Profiles
import ServiceLifecycle

struct FeedPage: Encodable {
    let events: [FeedEvent]
    /// Pass as `after` to read on.
    let nextAfter: Int64
    let lastSequence: Int64

    enum CodingKeys: String, CodingKey {
        case events
        case nextAfter = "next_after"
        case lastSequence = "last_sequence"
    }
}

/// The change feed over HTTP, with the store's contract: per-tenant
/// sequence numbers in order with no gap, stable event ids, and the same
/// events for the same cursor however often it is read (replay).
///
/// - `GET /v1/feed?after=SEQ&limit=N` — one page.
/// - `GET /v1/feed/stream?after=SEQ` — server-sent events, one per feed
///   event (`id:` is the sequence, so an EventSource reconnects with
///   `Last-Event-ID` and misses nothing), polling the store every
///   `pollInterval` when caught up, and a comment line as a heartbeat.
struct FeedRoutes {
    let store: any ProfileStore
    let metrics: ServiceMetrics
    var pollInterval: Duration = .milliseconds(200)
    var heartbeat: Duration = .seconds(15)

    func add(to router: Router<XinshengRequestContext>) {
        router.get("/v1/feed") { request, context in
            let tenant = try context.requireTenant()
            let after = try request.integerQuery("after", in: 0...Int64.max, default: 0)
            let limit = Int(try request.integerQuery("limit", in: 1...1000, default: 100))
            let (events, last) = try await read(tenant: tenant, after: after, limit: limit)
            let next = events.last?.sequence ?? after
            metrics.feedRead(lastSequence: last, handedUpTo: next)
            return try JSONBody.response(FeedPage(events: events, nextAfter: next, lastSequence: last))
        }
        router.get("/v1/feed/stream") { request, context in
            let tenant = try context.requireTenant()
            var after = try request.integerQuery("after", in: 0...Int64.max, default: 0)
            if let resume = request.headers[HTTPField.Name("Last-Event-ID")!] {
                guard let sequence = Int64(resume), sequence >= 0 else {
                    throw APIError.invalidField(field: "Last-Event-ID", reason: "a feed sequence number")
                }
                after = max(after, sequence)
            }
            _ = try await read(tenant: tenant, after: after, limit: 1)  // fail now, with a status, if the store is down
            let start = after
            let body = ResponseBody { writer in
                var cursor = start
                var quietSince = ContinuousClock.now
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let (events, last) = try await read(tenant: tenant, after: cursor, limit: 500)
                    if events.isEmpty {
                        if ContinuousClock.now - quietSince > heartbeat {
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                            quietSince = ContinuousClock.now
                        }
                        try await Task.sleep(for: pollInterval)
                        continue
                    }
                    var chunk = ""
                    for event in events {
                        chunk += "id: \(event.sequence)\nevent: \(event.kind.rawValue)\ndata: "
                        chunk += String(decoding: try JSONBody.encoder.encode(event), as: UTF8.self) + "\n\n"
                    }
                    try await writer.write(ByteBuffer(string: chunk))
                    cursor = events.last!.sequence
                    quietSince = ContinuousClock.now
                    metrics.feedRead(lastSequence: last, handedUpTo: cursor)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
        }
    }

    private func read(tenant: String, after: Int64, limit: Int) async throws -> ([FeedEvent], Int64) {
        do {
            let events = try await store.feed(tenant: tenant, after: after, limit: limit)
            let last = try await store.lastSequence(tenant: tenant)
            return (events, last)
        } catch {
            throw APIError.unavailable("the profile store failed")
        }
    }
}
