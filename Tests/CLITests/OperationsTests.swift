import Foundation
import TestSupport
import Testing

@Suite("Operating a worker: ops endpoint, graceful shutdown")
struct OperationsTests {
    static let pipeline = CLITests.root.appendingPathComponent("Pipelines/engagement.yaml").path

    static func worker(_ broker: DevBrokerProcess, group: String, extra: [String] = []) throws -> ChildProcess {
        try ChildProcess(
            ResonanceBinary.url,
            [
                "run", pipeline, "-b", broker.bootstrapServers, "-g", group,
                "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500",
            ] + extra)
    }

    /// Produces `count` events for 5 creators (500 follows first) at 10 per second of event time, so 60 s windows
    /// close as the stream goes.
    static func produce(_ broker: DevBrokerProcess, count: Int, seed: Int, rate: Int = 0) throws -> ChildProcess {
        try ChildProcess(
            ResonanceBinary.url,
            [
                "produce", "-b", broker.bootstrapServers, "--count", "\(count)",
                "--seed", "\(seed)", "--rate", "\(rate)", "--event-rate", "10", "--creators", "5",
            ])
    }

    /// The port a worker started with `--ops-port 0` logged.
    static func opsPort(_ worker: ChildProcess) -> Int? {
        guard
            let range = worker.stderr.range(
                of: #"ops endpoint: http://127\.0\.0\.1:(\d+)"#, options: .regularExpression)
        else { return nil }
        return Int(worker.stderr[range].split(separator: ":").last ?? "")
    }

    /// Records the worker's summary line says it consumed.
    static func recordsIn(_ worker: ChildProcess) -> Int? {
        guard let range = worker.stderr.range(of: #"resonance run: (\d+) records in"#, options: .regularExpression)
        else { return nil }
        return Int(worker.stderr[range].split(separator: " ")[2])
    }

    @Test("/metrics is Prometheus text whose counters move with traffic; /healthz and /readyz answer")
    func metricsAndProbes() throws {
        let broker = try DevBrokerProcess()
        let worker = try Self.worker(broker, group: "ops-metrics", extra: ["--ops-port", "0"])
        #expect(eventually(timeout: .seconds(20)) { Self.opsPort(worker) != nil }, "\(worker.stderr.suffix(800))")
        let port = try #require(Self.opsPort(worker))
        #expect(try HTTPProbe.get(port: port, path: "/healthz").status == 200)
        #expect(try HTTPProbe.get(port: port, path: "/nowhere").status == 404)
        #expect(eventually(timeout: .seconds(20)) { (try? HTTPProbe.get(port: port, path: "/readyz").status) == 200 })

        func scrape() throws -> PrometheusText { try PrometheusText(HTTPProbe.get(port: port, path: "/metrics").body) }
        #expect(try Self.produce(broker, count: 5_000, seed: 1).waitForExit(timeout: .seconds(60)) == 0)
        // Results are counted once the broker acknowledged them, a little after the batch's events.
        #expect(
            eventually(timeout: .seconds(30)) {
                guard let text = try? scrape() else { return false }
                return text.sum("resonance_events_in_total") == 5_000
                    && text.sum("resonance_results_out_total", matching: ["topic": "engagement-aggregates"]) > 0
            })
        usleep(500_000)
        let first = try scrape()
        #expect(first.types["resonance_events_in_total"] == "counter")
        let exposition = try HTTPProbe.get(port: port, path: "/metrics").body
        #expect(exposition.contains("# HELP resonance_events_in_total records consumed"))
        #expect(
            exposition.components(separatedBy: "# HELP ").count == exposition.components(separatedBy: "# TYPE ").count,
            "every family has its help")
        #expect(first.types["resonance_batch_processing_seconds"] == "histogram")
        #expect(
            first.types["resonance_consumer_lag_messages"] == "gauge"
                || first.types["resonance_consumer_lag_messages"] == nil)
        #expect(first.sum("resonance_assigned_partitions") == 8)
        #expect(first.samples.allSatisfy { $0.labels["creator_id"] == nil && $0.labels["creator"] == nil })

        // The same seed again, longer: the first 5,000 events repeat (now behind stream time by more than the grace:
        // late), the next 3,000 are new and close more windows.
        #expect(try Self.produce(broker, count: 8_000, seed: 1).waitForExit(timeout: .seconds(60)) == 0)
        #expect(
            eventually(timeout: .seconds(30)) {
                guard let text = try? scrape() else { return false }
                // Offsets are committed once the broker has acknowledged the results, shortly after they are produced.
                return text.sum("resonance_events_in_total") == 13_000
                    && text.sum("resonance_results_out_total") > first.sum("resonance_results_out_total")
                    && text.sum("resonance_commits_total") > first.sum("resonance_commits_total")
            })
        let second = try scrape()
        #expect(second.sum("resonance_commits_total") > first.sum("resonance_commits_total"))
        #expect(second.sum("resonance_late_events_total") > first.sum("resonance_late_events_total"))
        #expect(second.sum("resonance_batch_size_events_sum") == 13_000)
        // librdkafka's statistics arrive every 5 s; once caught up, every partition that has records lags by 0.
        let fed = Set(
            second.samples.filter { $0.name == "resonance_events_in_total" }.compactMap { $0.labels["partition"] })
        var lags: [PrometheusText.Sample] = []
        #expect(
            eventually(timeout: .seconds(15)) {
                lags = (try? scrape().samples.filter { $0.name == "resonance_consumer_lag_messages" }) ?? []
                return fed.allSatisfy { partition in
                    lags.contains { $0.labels["partition"] == partition && $0.value == 0 }
                }
            }, "lags \(lags.map { "\($0.labels["partition"] ?? "?")=\($0.value)" })")

        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: .seconds(20)) == 0)
        #expect(throws: (any Error).self) { try HTTPProbe.get(port: port, path: "/healthz") }
        #expect(broker.stop() == 0)
    }

    @Test(
        "SIGTERM mid-stream: exit 0 within the deadline, offsets committed; a restarted worker neither skips nor re-reads"
    )
    func gracefulShutdown() throws {
        let broker = try DevBrokerProcess()
        let total = 60_000
        let first = try Self.worker(broker, group: "ops-shutdown")
        #expect(eventually(timeout: .seconds(20)) { first.stderr.contains("rebalance: assigned") })
        let producer = try Self.produce(broker, count: total, seed: 3, rate: 10_000)
        usleep(2_500_000)
        let signalled = ContinuousClock.now
        first.kill(SIGTERM)
        let status = first.waitForExit(timeout: .seconds(25))
        let took = ContinuousClock.now - signalled
        #expect(status == 0, "\(first.stderr.suffix(800))")
        #expect(took < .seconds(20))
        #expect(producer.process.isRunning, "the producer should still be sending when the worker stops")
        let consumedFirst = try #require(Self.recordsIn(first))
        #expect(consumedFirst > 0 && consumedFirst < total)
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0)

        let second = try Self.worker(broker, group: "ops-shutdown", extra: ["--ops-port", "0"])
        #expect(eventually(timeout: .seconds(20)) { Self.opsPort(second) != nil })
        let port = try #require(Self.opsPort(second))
        #expect(
            eventually(timeout: .seconds(40)) {
                ((try? PrometheusText(HTTPProbe.get(port: port, path: "/metrics").body).sum("resonance_events_in_total"))
                    ?? 0)
                    >= Double(total - consumedFirst)
            })
        usleep(1_000_000)
        second.kill(SIGTERM)
        #expect(second.waitForExit(timeout: .seconds(20)) == 0)
        let consumedSecond = try #require(Self.recordsIn(second))
        // Everything the first worker consumed was committed (and checkpointed) before it left, so the second
        // starts exactly where the first stopped: together they read every record once.
        #expect(
            consumedFirst + consumedSecond == total, "first \(consumedFirst) + second \(consumedSecond) vs \(total)")
        #expect(broker.stop() == 0)
    }

    @Test("SIGTERM at any instant, before the first assignment too, beside a steady member: every stop exits 0")
    func stopsAtRandomInstants() throws {
        let broker = try DevBrokerProcess()
        let steady = try Self.worker(broker, group: "ops-stops")
        var generator = SystemRandomNumberGenerator()
        // Half the stops fall in the first 400 ms (starting and joining: with cooperative-sticky, librdkafka 2.0.2
        // aborted when closed there), the rest while the group rebalances around the new member. Not before 25 ms:
        // until the process reaches `main` (a few milliseconds; more for a debug build) a signal ends it as it
        // would any program.
        let delays = (0..<12).map { index in
            index % 2 == 0
                ? Int.random(in: 25_000...400_000, using: &generator)
                : Int.random(in: 400_000...3_500_000, using: &generator)
        }
        for delay in delays {
            let worker = try Self.worker(broker, group: "ops-stops")
            usleep(UInt32(delay))
            worker.kill(SIGTERM)
            let status = worker.waitForExit(timeout: .seconds(30))
            #expect(
                status == 0,
                "stopped after \(delay / 1000) ms: exit \(String(describing: status)) \(worker.stderr.suffix(600))")
        }
        steady.kill(SIGTERM)
        #expect(steady.waitForExit(timeout: .seconds(30)) == 0)
        #expect(broker.stop() == 0)
    }

    @Test("a shutdown that cannot finish (broker gone) exits 1 at the deadline; a second signal exits at once")
    func shutdownEscalates() throws {
        for secondSignal in [false, true] {
            let broker = try DevBrokerProcess()
            #expect(try Self.produce(broker, count: 2_000, seed: 4).waitForExit(timeout: .seconds(60)) == 0)
            let worker = try Self.worker(broker, group: "ops-escalation", extra: ["--shutdown-deadline", "3"])
            #expect(eventually(timeout: .seconds(30)) { worker.stderr.contains("rebalance: assigned") })
            usleep(1_000_000)
            #expect(broker.stop() == 0)
            let signalled = ContinuousClock.now
            worker.kill(SIGTERM)
            if secondSignal {
                usleep(500_000)
                worker.kill(SIGTERM)
                #expect(worker.waitForExit(timeout: .seconds(10)) == 128 + SIGTERM)
                #expect(ContinuousClock.now - signalled < .seconds(3))
                #expect(worker.stderr.contains("second signal"))
            } else {
                #expect(worker.waitForExit(timeout: .seconds(15)) == 1)
                let took = ContinuousClock.now - signalled
                #expect(took >= .seconds(3) && took < .seconds(8), "\(took)")
                #expect(worker.stderr.contains("graceful shutdown took longer than 3"))
            }
        }
    }
}
