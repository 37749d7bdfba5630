import Foundation
import Prometheus

/// The service's Prometheus metrics, in a registry of its own (no global
/// bootstrap, so every application in a test process has its own).
///
/// - `xinsheng_http_request_duration_seconds{route,method,status}`: latency per route pattern
/// - `xinsheng_turns_analysed_total{speaker}`
/// - `xinsheng_tags_written_total{change}`: feed events the service's writes published
/// - `xinsheng_offers_suppressed_total{category,rule}`: suppressed offers shown to agents, by reason
/// - `xinsheng_feed_lag_events`: events between the newest one and the last one a feed reader was handed
/// - `xinsheng_live_conversations`: conversations held in memory
///
/// No metric carries a tenant, a customer or any text.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let feedLag: Gauge
    private let liveConversations: Gauge
    /// The registry's metrics by label values, so a turn does not look them
    /// up in the registry (a lock, a hash of every label, the help text checked) each time.
    private let counters = MetricCache<Counter>()
    private let histograms = MetricCache<DurationHistogram>()

    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(3), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(1000),
    ]

    public init() {
        feedLag = registry.makeGauge(name: "xinsheng_feed_lag_events", help: "Feed events not yet handed to the reader that read last")
        liveConversations = registry.makeGauge(name: "xinsheng_live_conversations", help: "Conversations held in memory")
    }

    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        let histogram = histograms.value(for: "\(route)\u{1f}\(method)\u{1f}\(status)") {
            registry.makeDurationHistogram(name: "xinsheng_http_request_duration_seconds",
                                           labels: [("route", route), ("method", method), ("status", String(status))],
                                           buckets: Self.latencyBuckets,
                                           help: "HTTP request latency by route pattern")
        }
        histogram.recordNanoseconds(duration.nanoseconds)
    }

    func turnAnalysed(speaker: String) {
        counters.value(for: "turns\u{1f}\(speaker)") {
            registry.makeCounter(name: "xinsheng_turns_analysed_total", labels: [("speaker", speaker)], help: "Conversation turns applied")
        }.increment()
    }

    func tagWritten(change: String) {
        counters.value(for: "tags\u{1f}\(change)") {
            registry.makeCounter(name: "xinsheng_tags_written_total", labels: [("change", change)], help: "Need-tag changes published on the feed")
        }.increment()
    }

    func offerSuppressed(category: String, rule: String) {
        counters.value(for: "suppressed\u{1f}\(category)\u{1f}\(rule)") {
            registry.makeCounter(name: "xinsheng_offers_suppressed_total", labels: [("category", category), ("rule", rule)],
                                 help: "Offers held back in decisions shown to agents, by reason")
        }.increment()
    }

    func feedRead(lastSequence: Int64, handedUpTo: Int64) {
        feedLag.set(Double(max(0, lastSequence - handedUpTo)))
    }

    func conversationsHeld(_ count: Int) {
        liveConversations.set(Double(count))
    }

    /// The exposition text for `/metrics`.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// Metrics made once and kept by their label values.
final class MetricCache<Metric: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: [String: Metric] = [:]

    func value(for key: String, make: () -> Metric) -> Metric {
        lock.withLock {
            if let found = made[key] { return found }
            let metric = make()
            made[key] = metric
            return metric
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (for histograms and log lines).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
