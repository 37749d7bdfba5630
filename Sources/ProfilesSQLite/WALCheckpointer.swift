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
/// off (`wal_autocheckpoint = 0`) and this checkpointer runs every `interval`
/// on its own connection:
///
/// 1. a PASSIVE checkpoint copies what is in the log without taking the write
///    lock, so writers never wait for it;
/// 2. under steady writes the log is never fully copied at the moment a new
///    write starts, so SQLite would never start it again from the beginning
///    and it would grow without end (and every read would search a longer
///    log). When it holds more than `restartFrames` frames, a RESTART
///    checkpoint follows on the store's own writer, between two writes: it
///    copies the few frames the passive one left (writers wait only for
///    those) and makes the next write start the log over. Run from a
///    connection of its own, a restart would have to win the write lock
///    against writers that never pause, and on a busy machine it lost for
///    seconds on end.
///
/// When the last connection to the file closes, SQLite checkpoints whatever is left.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let writer: DatabasePool
    private let timer: DispatchSourceTimer
    let restartFrames: Int

    /// `writer`: the store's pool, whose writer runs the restarts.
    init(path: String, writer: DatabasePool, interval: DispatchTimeInterval = .milliseconds(500), restartFrames: Int = 2_000) throws {
        var configuration = Configuration()
        configuration.label = "xinsheng-profiles-checkpoint"
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.writer = writer
        self.restartFrames = restartFrames
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "xinsheng-profiles-checkpoint", qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { [connection, writer, restartFrames] in
            // A failed attempt (the file busy for a moment) is retried at the next tick.
            _ = try? Self.run(connection, writer: writer, restartFrames: restartFrames)
        }
        timer.resume()
    }

    /// One round now: passive, then restart if the log is long. Returns the
    /// log's frames after it.
    @discardableResult
    func checkpoint() throws -> Int {
        try Self.run(connection, writer: writer, restartFrames: restartFrames)
    }

    private static func run(_ connection: DatabaseQueue, writer: DatabasePool, restartFrames: Int) throws -> Int {
        let frames = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive).walFrameCount }
        guard frames > restartFrames else { return frames }
        return try writer.writeWithoutTransaction { db in try db.checkpoint(.restart).walFrameCount }
    }

    deinit {
        timer.cancel()
    }
}
