import Foundation

/// CPU time this process has used (user + system, every thread), for the
/// benchmarks: CPU seconds over wall seconds is how many cores a run kept
/// busy, which tells a stalled pipeline from a machine that is short of cores.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
