import Dispatch
import Foundation
import Synchronization

/// A deadline for a child process a test starts: past it the child is
/// stopped (SIGTERM, then SIGKILL five seconds later), so a child that hangs
/// fails its test instead of hanging the whole suite — every read of its
/// pipes then ends, and so does every wait for it.
///
/// Arm it right after `run()`; ask `expired` once the child has ended.
public final class ChildProcessDeadline {
    private final class Flag: Sendable {
        let fired = Mutex(false)
    }

    private let process: Process
    private let flag = Flag()
    private let stop: DispatchWorkItem

    public init(_ process: Process, seconds: Double) {
        self.process = process
        let flag = self.flag
        nonisolated(unsafe) let child = process
        stop = DispatchWorkItem {
            guard child.isRunning else { return }
            flag.fired.withLock { $0 = true }
            child.terminate()
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
                if child.isRunning { kill(child.processIdentifier, SIGKILL) }
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: stop)
    }

    /// True when the child was still running at the deadline and was stopped.
    public var expired: Bool { flag.fired.withLock { $0 } }

    /// Waits for the child to end (by itself or stopped at the deadline),
    /// then disarms. True when it ended by itself.
    @discardableResult
    public func waitUntilExit() -> Bool {
        process.waitUntilExit()
        stop.cancel()
        return !expired
    }
}

extension Process {
    /// Waits for the process to end, stopping it after `seconds`. True when
    /// it ended by itself.
    public func waitUntilExit(stoppingAfter seconds: Double) -> Bool {
        ChildProcessDeadline(self, seconds: seconds).waitUntilExit()
    }
}
