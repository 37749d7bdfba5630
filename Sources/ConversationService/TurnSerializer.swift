/// Runs the turns of one conversation one after another.
///
/// An actor alone is not enough: its methods interleave at every `await`
/// (the store write, the offer decision), and two turns of one conversation
/// folded or written out of order would leave the wrong state on the
/// profile. Waiters are served first come, first served.
actor TurnSerializer {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<Value: Sendable>(_ body: @Sendable () async throws -> Value) async throws -> Value {
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
