import Foundation
import TestSupport
import Testing

/// Debian's Prometheus scraping two real workers' `/metrics`, queried through its HTTP API; and the Grafana
/// dashboard's expressions checked against the series the workers actually export.
@Suite("A real Prometheus scraping two workers", .serialized)
struct PrometheusScrapeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A port free right now (bound to 0 and released), for a server that cannot report the one it picked.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The value of an instant query that returns one series, nil when it returns none.
    static func query(_ port: Int, _ expression: String) throws -> Double? {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let response = try HTTPProbe.get(port: port, path: "/api/v1/query?query=\(encoded)")
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        let results = (object?["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        return (results.first?["value"] as? [Any])?.last.flatMap { ($0 as? String).flatMap(Double.init) }
    }

    static func opsPort(_ worker: ChildProcess) -> Int? {
        guard
            let range = worker.stderr.range(of: #"ops endpoint: http://127\.0\.0\.1:\d+"#, options: .regularExpression)
        else { return nil }
        return Int(worker.stderr[range].split(separator: ":").last ?? "")
    }

    /// Sends `count` records that are not JSON to the source topic with kcat, so dead letters are counted.
    static func sendGarbage(_ broker: DevBrokerProcess, count: Int) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString)")
        try String(repeating: "creator-x:this is { not json\n", count: count).write(
            to: file, atomically: true, encoding: .utf8)
        let kcat = try ChildProcess(
            try #require(which("kcat")),
            ["-P", "-b", broker.bootstrapServers, "-t", "interactions", "-K", ":", "-l", file.path])
        #expect(kcat.waitForExit(timeout: .seconds(30)) == 0, "\(kcat.stderr)")
    }

    @Test(
        "consumer lag, events/s and dead-letter counts are in Prometheus and move; Grafana's queries name exported series"
    )
    func prometheusScrapesWorkers() throws {
        let broker = try DevBrokerProcess()
        let pipeline = Self.root.appendingPathComponent("Pipelines/demo.yaml").path
        let workers = try (0..<2).map { _ in
            try ChildProcess(
                ResonanceBinary.url,
                [
                    "run", pipeline, "-b", broker.bootstrapServers, "--ops-port", "0", "-X", "session.timeout.ms=4000",
                    "-X", "heartbeat.interval.ms=500", "-X", "statistics.interval.ms=1000",
                ])
        }
        defer {
            for worker in workers { worker.kill(SIGTERM) }
            _ = broker.stop()
        }
        #expect(eventually(timeout: .seconds(20)) { workers.allSatisfy { Self.opsPort($0) != nil } })
        let targets = workers.compactMap(Self.opsPort).map { "\"127.0.0.1:\($0)\"" }
        try #require(targets.count == 2, "\(workers.map { $0.stderr.suffix(1000) })")

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let config = work.appendingPathComponent("prometheus.yml")
        try """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: resonance-worker
            static_configs: [{targets: [\(targets.joined(separator: ", "))]}]
        """.write(to: config, atomically: true, encoding: .utf8)
        let port = try Self.freePort()
        let prometheus = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/prometheus"),
            [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(work.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ])
        defer { prometheus.kill(SIGTERM) }
        let bothUp = eventually(timeout: .seconds(30)) { (try? Self.query(port, "sum(up)")) == 2 }
        #expect(bothUp, "\(prometheus.stderr.suffix(2000))")

        try Self.sendGarbage(broker, count: 40)
        let producer = try ChildProcess(
            ResonanceBinary.url,
            [
                "produce", "-b", broker.bootstrapServers, "--creators", "20", "--event-rate", "2", "--span", "2d",
                "--scenario", "mix", "--seed", "3", "--rate", "3000", "--duration", "25s",
            ])
        defer { producer.kill(SIGTERM) }
        let flowing = eventually(timeout: .seconds(30)) {
            ((try? Self.query(port, "sum(rate(resonance_events_in_total[5s]))")) ?? nil ?? 0) > 100
        }
        #expect(flowing, "events/s never rose above 100")
        let lagSeries = try Self.query(port, "count(resonance_consumer_lag_messages)") ?? 0
        #expect(lagSeries >= 4, "consumer lag per partition: \(lagSeries) series")
        let deadLetters = eventually(timeout: .seconds(20)) {
            ((try? Self.query(port, "sum(resonance_dead_letters_total)")) ?? nil ?? 0) >= 40
        }
        #expect(deadLetters)
        try Self.sendGarbage(broker, count: 25)
        let moved = eventually(timeout: .seconds(20)) {
            ((try? Self.query(port, "sum(resonance_dead_letters_total)")) ?? nil ?? 0) >= 65
        }
        #expect(moved, "the dead-letter count did not move from 40 to 65")
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0, "\(producer.stderr.suffix(1000))")
        let caughtUp = eventually(timeout: .seconds(60)) {
            (try? Self.query(port, "sum(resonance_consumer_lag_messages)")) == 0
        }
        #expect(caughtUp, "lag: \(String(describing: try? Self.query(port, "sum(resonance_consumer_lag_messages)")))")

        // Every series a Grafana panel queries exists in what Prometheus scraped.
        let exported = try Set(
            workers.compactMap(Self.opsPort).flatMap { port in
                try HTTPProbe.get(port: port, path: "/metrics").body.split(separator: "\n")
                    .filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != "{" && $0 != " " }) }
            })
        let names = try GrafanaDashboards.metricNames(in: Self.root.appendingPathComponent("deploy/grafana/dashboards"))
        #expect(!names.isEmpty)
        for name in names {
            #expect(exported.contains(name), "Grafana queries \(name), which no worker exports")
            let series = try Self.query(port, "count({__name__=\"\(name)\"})")
            #expect(series != nil, "Prometheus holds no \(name)")
        }
    }
}

/// The metric names the Grafana dashboards' PromQL expressions refer to.
enum GrafanaDashboards {
    static func metricNames(in directory: URL) throws -> Set<String> {
        var names = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        where file.pathExtension == "json" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for expression in text.matches(of: /"expr":\s*"((?:[^"\\]|\\.)*)"/) {
                for name in expression.1.matches(of: /resonance_[a-z_]+/) { names.insert(String(name.0)) }
            }
        }
        return names
    }
}
