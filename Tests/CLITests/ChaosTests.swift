import Foundation
import TestSupport
import Testing

@Suite("Chaos harness, short schedule")
struct ChaosTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(
        "scripts/chaos --short: kill -9, SIGTERM, a broker outage and every bad-input class; nothing missing or wrong")
    func shortSchedule() throws {
        // Debian's python3 carries python3-confluent-kafka (`make deps`), the independent client the harness uses.
        let harness = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                Self.root.appendingPathComponent("scripts/chaos").path, "--short", "--resonance",
                ResonanceBinary.url.path,
            ])
        let status = harness.waitForExit(timeout: .seconds(300))
        let summary = harness.stdout.split(separator: "\n").filter { !$0.hasPrefix("%") }.joined(separator: "\n")
        print(summary)
        #expect(status == 0, "\(summary)\n\(harness.stderr.suffix(2000))")
        #expect(summary.contains("missing 0, wrong 0, unexpected 0"))
    }
}
