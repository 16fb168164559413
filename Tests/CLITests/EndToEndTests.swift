import Foundation
import Testing
import TestSupport

@Suite("Pipeline workers end to end")
struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func lines(_ text: String) -> [String: Int] {
        text.split(separator: "\n").reduce(into: [:]) { $0[String($1), default: 0] += 1 }
    }

    @Test("a seeded stream through a dev broker and two worker processes equals resonance replay")
    func twoWorkersEqualReplay() throws {
        let pipeline = Self.root.appendingPathComponent("Pipelines/bench.yaml").path  // per-key stream time
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString).jsonl")
        let generator = try ChildProcess(ResonanceBinary.url, ["produce", "--print", "--count", "12000", "--event-rate", "40", "--seed", "11"])
        #expect(generator.waitForExit(timeout: .seconds(30)) == 0)
        try generator.stdout.write(to: events, atomically: true, encoding: .utf8)

        let broker = try DevBrokerProcess()
        let producer = try ChildProcess(ResonanceBinary.url, ["produce", "-b", broker.bootstrapServers, "--file", events.path])
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0, "\(producer.stderr)")
        let group = "e2e-\(UUID().uuidString.prefix(8))"
        let workers = try (0..<2).map { _ in
            try ChildProcess(ResonanceBinary.url, ["run", pipeline, "-b", broker.bootstrapServers, "-g", group,
                                                   "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"])
        }
        let replay = try ChildProcess(ResonanceBinary.url, ["replay", events.path, "--pipeline", pipeline])
        #expect(replay.waitForExit(timeout: .seconds(60)) == 0)
        let expected = Self.lines(replay.stdout)
        #expect(expected.values.reduce(0, +) > 1000)

        var received: [String: Int] = [:]
        let complete = eventually(timeout: .seconds(60)) {
            let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "-b", broker.bootstrapServers, "-e"])
            reader?.waitForExit(timeout: .seconds(30))
            received = Self.lines(reader?.stdout ?? "")
            return received.values.reduce(0, +) >= expected.values.reduce(0, +)
        }
        #expect(complete)
        #expect(received == expected)
        for worker in workers {
            worker.kill(SIGTERM)
            #expect(worker.waitForExit(timeout: .seconds(20)) == 0, "\(worker.stderr.suffix(500))")
            #expect(worker.stderr.contains("rebalance: assigned"))
        }
        #expect(broker.stop() == 0)
    }
}
