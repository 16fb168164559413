import Foundation

/// This process's resident memory, from /proc/self/status.
enum ResidentMemory {
    /// Peak resident set size (`VmHWM`), bytes.
    static func peakBytes() -> Int { bytes("VmHWM:") }

    /// Starts a new peak: `VmHWM` drops to the current resident size (Linux `clear_refs` 5), so a run's peak is not
    /// the input loading's.
    static func resetPeak() {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", file)
        fclose(file)
    }

    /// Current resident set size (`VmRSS`), bytes.
    static func currentBytes() -> Int { bytes("VmRSS:") }

    private static func bytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return 0 }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes * 1024
    }
}
