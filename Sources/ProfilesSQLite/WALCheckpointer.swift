import Dispatch
import Foundation
import GRDB

/// Moves the write-ahead log into the database file from a connection of its
/// own, off the write path.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the
/// threshold (1,000 pages): that one write then copies the whole log into the
/// database and syncs it, several milliseconds during which every other turn
/// waits — the slowest 1–3 % of live turns. The store's connections switch it
/// off (`wal_autocheckpoint = 0`) and this checkpointer runs a PASSIVE
/// checkpoint every `interval` on its own connection: it copies what it can
/// without taking the write lock, so writers never wait for it, and once the
/// log is fully copied the next writer starts it again from the beginning
/// (so it stays small). When the last connection to the file closes, SQLite
/// checkpoints whatever is left.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let timer: DispatchSourceTimer

    init(path: String, interval: DispatchTimeInterval = .milliseconds(500)) throws {
        var configuration = Configuration()
        configuration.label = "xinsheng-profiles-checkpoint"
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "xinsheng-profiles-checkpoint", qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [connection] in
            // A failed attempt (the file busy for a moment) is retried at the next tick.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
        timer.resume()
    }

    /// One checkpoint now (tests, and a clean stop).
    func checkpoint() throws {
        try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    deinit {
        timer.cancel()
    }
}
