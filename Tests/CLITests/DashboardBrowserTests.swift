import Foundation
import TestSupport
import Testing

@Suite("resonance dashboard in a real browser", .serialized)
struct DashboardBrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let groupFlags = ["-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"]

    /// Starts `resonance dashboard` and returns it with the port it printed.
    static func startDashboard(_ arguments: [String]) throws -> (ChildProcess, Int) {
        let dashboard = try ChildProcess(ResonanceBinary.url, ["dashboard", "--port", "0"] + arguments)
        var port: Int?
        _ = eventually(timeout: .seconds(10)) {
            port =
                dashboard.stdoutLines.lazy.compactMap { line in
                    line.hasPrefix("dashboard: http://127.0.0.1:")
                        ? Int(line.split(separator: ":").last?.dropLast() ?? "") : nil
                }.first
            return port != nil
        }
        return (dashboard, try #require(port, "no URL printed: \(dashboard.stderr)"))
    }

    @Test(
        "a worker, a producer with injected scenarios and the dashboard; Chromium sees the leaderboard, a spike, its creator's chart, and a hostile id as text"
    )
    func browserSeesLiveCommunity() throws {
        let broker = try DevBrokerProcess()
        let (dashboard, port) = try Self.startDashboard(["-b", broker.bootstrapServers])
        let worker = try ChildProcess(
            ResonanceBinary.url,
            ["run", Self.root.appendingPathComponent("Pipelines/demo.yaml").path, "-b", broker.bootstrapServers]
                + Self.groupFlags)
        let producer = try ChildProcess(
            ResonanceBinary.url,
            [
                "produce", "-b", broker.bootstrapServers, "--creators", "20", "--event-rate", "0.5", "--span", "3d",
                "--scenario", "mix", "--affected-share", "0.5", "--inject-after", "6h", "--dormant-after", "2d",
                "--seed", "7", "--rate", "20000",
            ])
        defer {
            for child in [producer, worker, dashboard] { child.kill(SIGTERM) }
            _ = broker.stop()
        }

        // A result record whose creator id is hostile markup, written by an independent client (kcat).
        let hostile =
            "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">'&"
            + String(repeating: "x", count: 65_536)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let hostileFile = work.appendingPathComponent("hostile-id.txt")
        try hostile.write(to: hostileFile, atomically: true, encoding: .utf8)
        let record: [String: Any] = [
            "schema_version": 2, "type": "spike_started", "creator_id": hostile, "onset": 1_732_821_420_000,
            "window_start": 1_732_821_360_000, "window_end": 1_732_821_420_000, "severity": 9.5,
        ]
        let recordFile = work.appendingPathComponent("hostile.jsonl")
        try JSONSerialization.data(withJSONObject: record).write(to: recordFile)
        let kcat = try ChildProcess(
            try #require(which("kcat")),
            ["-P", "-b", broker.bootstrapServers, "-t", "community-spikes", "-k", "hostile", recordFile.path])
        #expect(kcat.waitForExit(timeout: .seconds(30)) == 0, "\(kcat.stderr)")

        let shots = Self.root.appendingPathComponent(".build/dashboard-screenshots")
        let browser = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/python3"),
            [
                Self.root.appendingPathComponent("scripts/dashboard-browser-check").path, "http://127.0.0.1:\(port)/",
                "--shots", shots.path, "--hostile-id-file", hostileFile.path, "--timeout", "150",
            ])
        let status = browser.waitForExit(timeout: .seconds(240))
        print(browser.stdout)
        #expect(
            status == 0,
            "\(browser.stdout)\n\(browser.stderr.suffix(3000))\ndashboard: \(dashboard.stderr.suffix(2000))")
        #expect(browser.stdout.contains("browser check: all passed"))
        #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("creator.png").path))
    }

    @Test("without a broker the page says unreachable; only GET is served; SIGTERM stops it with exit 0")
    func unreachableBrokerGetOnlyAndCleanStop() throws {
        let (dashboard, port) = try Self.startDashboard([
            "-b", "127.0.0.1:1", "-X", "socket.connection.setup.timeout.ms=1000",
        ])
        let unreachable = eventually(timeout: .seconds(30)) {
            ((try? HTTPProbe.get(port: port, path: "/api/overview"))?.body ?? "").contains("\"status\":\"unreachable\"")
        }
        #expect(unreachable, "\((try? HTTPProbe.get(port: port, path: "/api/overview"))?.body ?? "no answer")")
        #expect(try HTTPProbe.get(port: port, path: "/").body.contains("<script src=\"/app.js\""))
        #expect(try HTTPProbe.request(port: port, path: "/", method: "POST").status == 405)
        #expect(try HTTPProbe.request(port: port, path: "/api/overview", method: "DELETE").status == 405)
        #expect(try HTTPProbe.get(port: port, path: "/nowhere").status == 404)
        dashboard.kill(SIGTERM)
        #expect(dashboard.waitForExit(timeout: .seconds(15)) == 0, "\(dashboard.stderr.suffix(2000))")
    }
}
