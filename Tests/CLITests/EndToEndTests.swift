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
        let generator = try ChildProcess(ResonanceBinary.url, ["produce", "--print", "--count", "20000", "--event-rate", "40", "--creators", "20", "--seed", "11"])
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

    @Test("with -e, workers stop by themselves at the end of the input: exit 0, results equal replay, offsets committed")
    func exitAtEnd() throws {
        let pipeline = Self.root.appendingPathComponent("Pipelines/bench.yaml").path
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-end-\(UUID().uuidString).jsonl")
        let generator = try ChildProcess(ResonanceBinary.url, ["produce", "--print", "--count", "5000", "--event-rate", "40", "--creators", "20", "--seed", "5"])
        #expect(generator.waitForExit(timeout: .seconds(30)) == 0)
        try generator.stdout.write(to: events, atomically: true, encoding: .utf8)
        let replay = try ChildProcess(ResonanceBinary.url, ["replay", events.path, "--pipeline", pipeline])
        #expect(replay.waitForExit(timeout: .seconds(60)) == 0)
        let expected = Self.lines(replay.stdout)
        #expect(expected.values.reduce(0, +) > 100)

        let broker = try DevBrokerProcess()
        let producer = try ChildProcess(ResonanceBinary.url, ["produce", "-b", broker.bootstrapServers, "--file", events.path])
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0, "\(producer.stderr)")
        let group = "e2e-end-\(UUID().uuidString.prefix(8))"
        func worker() throws -> ChildProcess {
            try ChildProcess(ResonanceBinary.url, ["run", pipeline, "-b", broker.bootstrapServers, "-g", group, "-e",
                                                   "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"])
        }
        let workers = try [worker(), worker()]
        for worker in workers { #expect(worker.waitForExit(timeout: .seconds(60)) == 0, "\(worker.stderr.suffix(500))") }
        let reader = try ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "-b", broker.bootstrapServers, "-e"])
        #expect(reader.waitForExit(timeout: .seconds(30)) == 0)
        #expect(Self.lines(reader.stdout) == expected)
        // Everything was committed: a later worker of the group finds nothing left, writes nothing and stops too.
        let later = try worker()
        #expect(later.waitForExit(timeout: .seconds(60)) == 0, "\(later.stderr.suffix(500))")
        let again = try ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "-b", broker.bootstrapServers, "-e"])
        #expect(again.waitForExit(timeout: .seconds(30)) == 0)
        #expect(Self.lines(again.stdout) == expected)
        #expect(broker.stop() == 0)
    }

    /// engagement.yaml's shape with detectors scaled to a short stream: spikes after 30 windows of warm-up, followers
    /// dormant after an hour and reported every ten minutes.
    static let detectorPipeline = """
        version: 1
        name: e2e-detectors
        source:
          topic: interactions
        window: {kind: hopping, size: 60s, advance: 10s, grace: 5s, stream_time: partition}
        aggregate: {activity_horizon: 1h}
        detectors:
          spikes: {burst_windows: 6, warmup_windows: 30, cooldown_windows: 30}
          followers: {dormant_after: 1h, report_every: 10m}
        sinks:
          aggregates: engagement-aggregates
          spikes: community-spikes
          follower_health: follower-health
          follower_drift: follower-drift
          dead_letters: interactions-dlq
        state: {checkpoint_every: 1s}
        """

    @Test("with detectors and partition stream time: two workers equal resonance replay --partitions 8, on every sink")
    func detectorsEqualPartitionedReplay() throws {
        let directory = FileManager.default.temporaryDirectory
        let pipeline = directory.appendingPathComponent("e2e-detectors-\(UUID().uuidString).yaml")
        try Self.detectorPipeline.write(to: pipeline, atomically: true, encoding: .utf8)
        let events = directory.appendingPathComponent("e2e-detectors-\(UUID().uuidString).jsonl")
        let generator = try ChildProcess(ResonanceBinary.url, [
            "produce", "--print", "--creators", "40", "--event-rate", "2", "--span", "5h", "--scenario", "mix",
            "--affected-share", "0.4", "--inject-after", "1h", "--dormant-after", "1h", "--seed", "3"])
        #expect(generator.waitForExit(timeout: .seconds(60)) == 0)
        try generator.stdout.write(to: events, atomically: true, encoding: .utf8)
        let replay = try ChildProcess(ResonanceBinary.url, ["replay", events.path, "--pipeline", pipeline.path, "--partitions", "8"])
        #expect(replay.waitForExit(timeout: .seconds(120)) == 0)
        let expected = Self.lines(replay.stdout)
        let types = ["spike_started", "spike_ended", "follower_health"]
        for type in types { #expect(expected.keys.contains { $0.contains(#""type":"\#(type)""#) }, "replay has no \(type)") }

        let broker = try DevBrokerProcess()
        let producer = try ChildProcess(ResonanceBinary.url, ["produce", "-b", broker.bootstrapServers, "--file", events.path])
        #expect(producer.waitForExit(timeout: .seconds(120)) == 0, "\(producer.stderr)")
        let group = "e2e-detectors-\(UUID().uuidString.prefix(8))"
        let workers = try (0..<2).map { _ in
            try ChildProcess(ResonanceBinary.url, ["run", pipeline.path, "-b", broker.bootstrapServers, "-g", group,
                                                   "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"])
        }
        var received: [String: Int] = [:]
        let complete = eventually(timeout: .seconds(120)) {
            let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "community-spikes", "follower-health",
                                                                  "follower-drift", "-b", broker.bootstrapServers, "-e"])
            reader?.waitForExit(timeout: .seconds(60))
            received = Self.lines(reader?.stdout ?? "")
            return received.values.reduce(0, +) >= expected.values.reduce(0, +)
        }
        #expect(complete)
        #expect(received == expected, "\(received.values.reduce(0, +)) records received, \(expected.values.reduce(0, +)) expected")
        for worker in workers {
            worker.kill(SIGTERM)
            #expect(worker.waitForExit(timeout: .seconds(20)) == 0, "\(worker.stderr.suffix(500))")
        }
        #expect(broker.stop() == 0)
    }
}

@Suite("Worker state survives crashes and rebalances")
struct RecoveryTests {
    static let root = EndToEndTests.root

    static func worker(_ broker: DevBrokerProcess, _ pipeline: String, group: String) throws -> ChildProcess {
        try ChildProcess(ResonanceBinary.url, ["run", pipeline, "-b", broker.bootstrapServers, "-g", group,
                                               "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"])
    }

    static func produce(_ broker: DevBrokerProcess, _ lines: ArraySlice<Substring>) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("part-\(UUID().uuidString).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let producer = try ChildProcess(ResonanceBinary.url, ["produce", "-b", broker.bootstrapServers, "--file", file.path])
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0)
    }

    static func results(_ broker: DevBrokerProcess) -> [String: Int] {
        let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "community-spikes", "follower-health",
                                                              "follower-drift", "-b", broker.bootstrapServers, "-e"])
        reader?.waitForExit(timeout: .seconds(30))
        return EndToEndTests.lines(reader?.stdout ?? "")
    }

    /// The two pipelines the recovery test runs: the benchmark job (per-key stream time, no detectors) and the
    /// detector pipeline (partition stream time, every sink). The seeds keep every source partition under the dev
    /// broker's 5 MiB retention, so a rebuilt partition can be replayed from its true start.
    static func pipeline(_ name: String) throws -> (path: String, traffic: [String]) {
        if name == "bench" {
            return (root.appendingPathComponent("Pipelines/bench.yaml").path,
                    ["--count", "16000", "--event-rate", "40", "--creators", "20", "--seed", "5"])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString).yaml")
        try EndToEndTests.detectorPipeline.write(to: file, atomically: true, encoding: .utf8)
        return (file.path, ["--creators", "40", "--event-rate", "2", "--span", "5h", "--scenario", "mix", "--affected-share", "0.4",
                            "--inject-after", "1h", "--dormant-after", "1h", "--seed", "3"])
    }

    @Test("kill -9 of a worker, its restart and a third worker joining mid-stream: results equal replay, duplicates counted",
          arguments: ["bench", "detectors"])
    func crashAndRebalance(pipelineName: String) throws {
        let (pipeline, traffic) = try Self.pipeline(pipelineName)
        let generator = try ChildProcess(ResonanceBinary.url, ["produce", "--print"] + traffic)
        #expect(generator.waitForExit(timeout: .seconds(60)) == 0)
        let lines = generator.stdout.split(separator: "\n")
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("recovery-\(UUID().uuidString).jsonl")
        try generator.stdout.write(to: events, atomically: true, encoding: .utf8)
        let replay = try ChildProcess(ResonanceBinary.url, ["replay", events.path, "--pipeline", pipeline, "--partitions", "8"])
        #expect(replay.waitForExit(timeout: .seconds(120)) == 0)
        let expected = EndToEndTests.lines(replay.stdout)
        let (firstCut, secondCut) = (lines.count * 3 / 8, lines.count * 11 / 16)

        let broker = try DevBrokerProcess()
        let group = "recovery-\(UUID().uuidString.prefix(8))"
        let first = try Self.worker(broker, pipeline, group: group)
        let second = try Self.worker(broker, pipeline, group: group)
        try Self.produce(broker, lines[..<firstCut])
        #expect(eventually(timeout: .seconds(40)) { !Self.results(broker).isEmpty })

        first.kill(SIGKILL)                                           // crash, no checkpoint on the way out
        try Self.produce(broker, lines[firstCut..<secondCut])
        let restarted = try Self.worker(broker, pipeline, group: group)
        let third = try Self.worker(broker, pipeline, group: group)   // a new member: a rebalance moves partitions
        try Self.produce(broker, lines[secondCut...])

        var received: [String: Int] = [:]
        let done = eventually(timeout: .seconds(90)) {
            received = Self.results(broker)
            return Set(received.keys).isSuperset(of: expected.keys)
        }
        #expect(done)
        let missing = Set(expected.keys).subtracting(received.keys), extra = Set(received.keys).subtracting(expected.keys)
        func kinds(_ lines: Set<String>) -> [String: Int] {
            lines.reduce(into: [:]) { counts, line in
                counts[line.firstRange(of: #""type":""#).map { String(line[$0.upperBound...].prefix { $0 != "\"" }) } ?? "aggregate", default: 0] += 1
            }
        }
        #expect(missing.isEmpty && extra.isEmpty, "missing \(missing.count) \(kinds(missing)), extra \(extra.count) \(kinds(extra)); e.g. \(missing.sorted().prefix(2)) vs \(extra.sorted().prefix(2))")
        let duplicates = received.values.reduce(0) { $0 + $1 } - received.count
        Swift.print("recovery (\(pipelineName)): \(received.count) distinct results, \(duplicates) emitted twice around the crash")
        for worker in [second, restarted, third] {
            worker.kill(SIGTERM)
            #expect(worker.waitForExit(timeout: .seconds(30)) == 0, "\(worker.stderr.suffix(1500))")
        }
        #expect(restarted.stderr.contains("restored") || second.stderr.contains("restored") || third.stderr.contains("restored"))
        #expect(broker.stop() == 0)
    }
}
