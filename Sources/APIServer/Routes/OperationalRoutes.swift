import ConversationService
import Foundation
import HTTPTypes
import Hummingbird

struct Readiness: Encodable {
    let status: String
    let modelVersion: String
    let lexiconVersion: String
    let store: String
    let conversationsInMemory: Int

    enum CodingKeys: String, CodingKey {
        case status, store
        case modelVersion = "model_version"
        case lexiconVersion = "lexicon_version"
        case conversationsInMemory = "conversations_in_memory"
    }
}

/// `/health` (open: the process answers), `/ready` (the model is loaded and
/// the store answers), `/metrics` (Prometheus text) and `/v1/openapi.json`.
struct OperationalRoutes {
    let conversations: LiveConversations
    let metrics: ServiceMetrics
    let storeKind: String

    func add(to router: Router<XinshengRequestContext>) {
        router.get("/health") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("/ready") { _, context in
            let tenant = try context.requireTenant()
            do {
                _ = try await conversations.store.lastSequence(tenant: tenant)
            } catch {
                throw APIError.unavailable("the profile store does not answer")
            }
            return try JSONBody.response(Readiness(status: "ready", modelVersion: conversations.analyzer.model.version,
                                                   lexiconVersion: conversations.analyzer.processor.segmenter.lexicon.fingerprint,
                                                   store: storeKind, conversationsInMemory: conversations.count))
        }
        router.get("/metrics") { _, context in
            _ = try context.requireTenant()
            metrics.conversationsHeld(conversations.count)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        router.get("/v1/openapi.json") { _, context in
            _ = try context.requireTenant()
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try BundledFiles.openAPI())))
        }
    }
}

/// Files shipped in the package: the OpenAPI document and the console.
public enum BundledFiles {
    public static func openAPI() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else { throw APIError.notFound(what: "openapi.json") }
        return try Data(contentsOf: url)
    }

    static let consoleTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "svg": "image/svg+xml",
    ]

    /// The console's files by name, read once: from the package, or from
    /// `$XINSHENG_CONSOLE_DIR` when set (for working on the console).
    static func console(directory explicit: URL? = nil) -> [String: (Data, String)] {
        guard let directory = explicit ?? Bundle.module.url(forResource: "console", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var files: [String: (Data, String)] = [:]
        for name in names {
            let ext = (name as NSString).pathExtension
            guard let type = consoleTypes[ext], let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { continue }
            files[name] = (data, type)
        }
        return files
    }
}

/// `/console`: the agent console, plain HTML + JS + CSS (no build step).
/// The files carry no data; the page asks for an API key and talks to the
/// WebSocket API with it.
struct ConsoleRoutes {
    let files = BundledFiles.console()
    /// `$XINSHENG_CONSOLE_DIR`: files are read again on every request (development only).
    let developmentDirectory = ProcessInfo.processInfo.environment["XINSHENG_CONSOLE_DIR"].map { URL(fileURLWithPath: $0) }

    func add(to router: Router<XinshengRequestContext>) {
        router.get("/console") { _, _ in try serve("index.html") }
        router.get("/console/:file") { _, context in try serve(try context.parameters.require("file")) }
    }

    private func serve(_ name: String) throws -> Response {
        let files = developmentDirectory.map { BundledFiles.console(directory: $0) } ?? self.files
        guard let (data, type) = files[name] else { throw APIError.notFound(what: "console file \(name)") }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache",
                                               HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; connect-src 'self' ws: wss:"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
