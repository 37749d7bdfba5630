import Foundation

/// Resident memory from /proc (Linux), for the benchmarks.
enum ProcessMemory {
    /// Current resident size of a process (VmRSS), in MB.
    static func residentMegabytes(pid: Int32 = getpid()) -> Double? {
        statusField("VmRSS:", pid: pid)
    }

    /// Peak resident size of this process (VmHWM) since start or `resetPeak()`, in MB.
    static func peakMegabytes() -> Double? {
        statusField("VmHWM:", pid: getpid())
    }

    /// Resets the kernel's peak (VmHWM) to the current resident size.
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func statusField(_ field: String, pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }
}
