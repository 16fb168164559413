import Foundation

/// This process's resident memory, from /proc/self/status.
enum ResidentMemory {
    /// Peak resident set size (`VmHWM`), bytes.
    static func peakBytes() -> Int { bytes("VmHWM:") }

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
