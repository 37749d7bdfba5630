import Foundation
import Hummingbird

/// A token bucket per tenant: `rate` requests a second on average, bursts of
/// up to one second's worth. Beyond it: 429 with `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = XinshengRequestContext
    let buckets: TokenBuckets
    let clock: @Sendable () -> UInt64

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let tenant = context.tenant, !buckets.take(tenant, now: clock()) {
            throw APIError.rateLimited(retryAfterSeconds: 1)
        }
        return try await next(request, context)
    }
}

final class TokenBuckets: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    private let defaultRate: Double
    private let rates: [String: Double]
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]

    init(defaultRate: Double, rates: [String: Double]) {
        self.defaultRate = defaultRate
        self.rates = rates
    }

    /// Takes one token for `tenant`; false when its bucket is empty.
    func take(_ tenant: String, now: UInt64) -> Bool {
        let rate = rates[tenant] ?? defaultRate
        return lock.withLock {
            var bucket = buckets[tenant] ?? Bucket(tokens: rate, updated: now)
            let elapsed = Double(now &- bucket.updated) / 1e9
            bucket.tokens = min(rate, bucket.tokens + elapsed * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[tenant] = bucket
            return allowed
        }
    }
}
