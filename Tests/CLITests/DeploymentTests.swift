import Foundation
import TestSupport
import Testing
import Yams

/// No Docker engine runs here, so the deployment files are checked for what would break them: every referenced file,
/// port, topic, flag, metric, data source and image tag must exist and agree with the code and the pipeline.
@Suite("docker-compose.yml, Dockerfile, Prometheus and Grafana files are consistent")
struct DeploymentTests {
    static let root = CLITests.root

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: text(path)) as? [String: Any], "\(path) is not a YAML mapping")
    }

    static var compose: [String: Any] { get throws { try yaml("docker-compose.yml") } }

    static func services() throws -> [String: [String: Any]] {
        try #require(try compose["services"] as? [String: [String: Any]])
    }

    static func command(_ service: [String: Any]) -> [String] {
        (service["command"] as? [Any])?.map { "\($0)" } ?? []
    }

    /// The value after `flag` in `arguments`.
    static func value(of flag: String, in arguments: [String]) -> String? {
        arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }

    static func pipeline() throws -> [String: Any] { try yaml("Pipelines/engagement.yaml") }

    @Test("every image is pinned to a version tag; the topic job uses the broker's image")
    func imagesPinned() throws {
        let services = try Self.services()
        for (name, service) in services {
            let image = try #require(service["image"] as? String, "service \(name) has no image")
            let tag = try #require(image.split(separator: ":").last.map(String.init), "\(name): \(image) has no tag")
            #expect(image.contains(":") && tag != "latest" && !tag.isEmpty, "\(name): \(image) is not pinned")
        }
        #expect(services["topics"]?["image"] as? String == services["kafka"]?["image"] as? String)
        #expect((services["kafka"]?["image"] as? String)?.hasPrefix("apache/kafka:") == true)
        let environment = try #require(services["kafka"]?["environment"] as? [String: Any])
        #expect("\(environment["KAFKA_PROCESS_ROLES"] ?? "")" == "broker,controller", "KRaft, one node")
        for name in ["worker", "producer"] {
            #expect(services[name]?["build"] as? String == ".", "\(name) builds the Dockerfile")
            #expect(services[name]?["image"] as? String == services["worker"]?["image"] as? String)
        }
    }

    @Test("the Dockerfile builds in a Swift image, runs as non-root on slim Debian with librdkafka1, enters resonance")
    func dockerfile() throws {
        let lines = try Self.text("Dockerfile").split(separator: "\n").map(String.init)
        let froms = lines.filter { $0.hasPrefix("FROM ") }
        #expect(froms.count == 2)
        #expect(froms.first?.contains("swift:") == true && froms.last?.contains("debian:bookworm-slim") == true)
        #expect(froms.allSatisfy { $0.split(separator: " ")[1].contains(":") && !$0.contains(":latest") })
        let swiftVersion = try #require(
            froms.first?.split(separator: " ")[1].split(separator: ":")[1].split(separator: "-").first)
        #expect(
            try Self.text("Package.swift").contains(
                "swift-tools-version:\(swiftVersion.split(separator: ".").prefix(1).joined())"),
            "the builder's Swift major version matches the manifest's tools version")
        for line in lines where line.hasPrefix("COPY ") && !line.contains("--from") {
            let source = String(line.split(separator: " ")[1])
            #expect(
                FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(source).path),
                "COPY \(source) does not exist")
        }
        #expect(lines.contains { $0.contains("librdkafka1") })
        let user = try #require(lines.last { $0.hasPrefix("USER ") })
        #expect(user != "USER root" && user != "USER 0")
        #expect(lines.contains { $0.hasPrefix("ENTRYPOINT") && $0.contains("resonance") })
        #expect(lines.contains("EXPOSE \(try Self.opsPort())"))
    }

    static func opsPort() throws -> String {
        let worker = try #require(try services()["worker"])
        return try #require(Self.value(of: "--ops-port", in: Self.command(worker)))
    }

    @Test("worker and producer commands use real flags, the image's pipeline file and the pipeline's topics")
    func commands() throws {
        let services = try Self.services()
        let worker = Self.command(try #require(services["worker"]))
        #expect(worker.first == "run")
        let pipelinePath = try #require(worker.dropFirst().first)
        #expect(pipelinePath.hasPrefix("/etc/resonance/pipelines/"))
        let pipelineFile = "Pipelines/" + pipelinePath.split(separator: "/").last!
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(pipelineFile).path))
        #expect(try Self.text("Dockerfile").contains("COPY Pipelines /etc/resonance/pipelines"))
        #expect(Self.value(of: "--ops-bind", in: worker) == "0.0.0.0", "Prometheus scrapes from another container")
        let producer = Self.command(try #require(services["producer"]))
        #expect(producer.first == "produce")
        for (subcommand, arguments) in [("run", worker), ("produce", producer)] {
            let help = try CLITests.run([subcommand, "--help"]).stdout
            for flag in arguments where flag.hasPrefix("--") {
                #expect(help.contains(flag), "resonance \(subcommand) has no \(flag)")
            }
        }
        let source = try #require((try Self.pipeline()["source"] as? [String: Any])?["topic"] as? String)
        #expect(Self.value(of: "--topic", in: producer) == source)
        let status = try CLITests.run(["validate", Self.root.appendingPathComponent(pipelineFile).path]).status
        #expect(status == 0)
        // The grace period outlasts the worker's shutdown deadline (20 s by default).
        let grace = try #require(services["worker"]?["stop_grace_period"] as? String)
        #expect((Int(grace.dropLast()) ?? 0) > 20 && grace.hasSuffix("s"))
    }

    @Test("the topic job creates every topic the pipeline reads and writes, and a compacted state topic")
    func topics() throws {
        let script = try #require((try Self.services()["topics"]?["command"] as? [String])?.first)
        let created = Set(
            script.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                return words.first == "create" && words.count > 1 ? String(words[1]) : nil
            })
        let pipeline = try Self.pipeline()
        let source = try #require(pipeline["source"] as? [String: Any])
        let sinks = try #require(pipeline["sinks"] as? [String: String])
        var needed = Set(sinks.values)
        needed.insert(try #require(source["topic"] as? String))
        let group = try #require(source["group"] as? String)
        needed.insert("\(group)-state")
        #expect(created == needed, "created \(created.sorted()), pipeline needs \(needed.sorted())")
        #expect(script.contains("\(group)-state --partitions 8 --config cleanup.policy=compact"))
    }

    @Test("Prometheus scrapes the worker service on its ops port; mounted files exist; host ports are distinct")
    func prometheusAndMounts() throws {
        let prometheus = try Self.yaml("deploy/prometheus/prometheus.yml")
        let jobs = try #require(prometheus["scrape_configs"] as? [[String: Any]])
        let worker = try #require(jobs.first { $0["job_name"] as? String == "resonance-worker" })
        let discovery = try #require((worker["dns_sd_configs"] as? [[String: Any]])?.first)
        #expect(discovery["names"] as? [String] == ["worker"])
        #expect("\(discovery["port"] ?? "")" == (try Self.opsPort()))
        #expect(worker["metrics_path"] as? String == "/metrics")

        var hostPorts: [String] = []
        for (name, service) in try Self.services() {
            for volume in (service["volumes"] as? [String]) ?? [] {
                let host = String(volume.split(separator: ":")[0])
                #expect(
                    FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(host).path),
                    "\(name) mounts missing \(host)")
            }
            for port in (service["ports"] as? [String]) ?? [] {
                let parts = port.split(separator: ":")
                #expect(parts.first == "127.0.0.1", "\(name) publishes \(port) beyond localhost")
                hostPorts.append(String(parts[1]))
            }
        }
        #expect(Set(hostPorts).count == hostPorts.count)
        let kafka = try #require(try Self.services()["kafka"]?["environment"] as? [String: Any])
        #expect("\(kafka["KAFKA_ADVERTISED_LISTENERS"] ?? "")".contains("kafka:9092"))
        #expect(
            try Self.services()["worker"].flatMap {
                ($0["environment"] as? [String: Any])?["KAFKA_BOOTSTRAP_SERVERS"] as? String
            } == "kafka:9092")
    }

    @Test("Grafana: provisioned data sources and dashboard agree; queries name real metrics, topics and fields")
    func grafana() throws {
        let services = try Self.services()
        let grafana = try #require(services["grafana"])
        let mounts = Dictionary(
            uniqueKeysWithValues: ((grafana["volumes"] as? [String]) ?? []).map { volume in
                let parts = volume.split(separator: ":")
                return (String(parts[1]), String(parts[0]))
            })
        let provisioning = try #require(mounts["/etc/grafana/provisioning"])
        let dashboardsConfig = try Self.yaml("\(provisioning)/dashboards/dashboards.yml")
        let dashboardPath = try #require(
            ((dashboardsConfig["providers"] as? [[String: Any]])?.first?["options"] as? [String: Any])?["path"]
                as? String)
        let dashboardFolder = try #require(mounts[dashboardPath], "the dashboards path \(dashboardPath) is not mounted")

        let sources = try #require(
            try Self.yaml("\(provisioning)/datasources/datasources.yml")["datasources"] as? [[String: Any]])
        var types: [String: String] = [:]
        for source in sources { types[source["uid"] as? String ?? ""] = source["type"] as? String }
        let plugin = try #require(types.values.first { $0.contains("kafka") })
        let installed = "\((grafana["environment"] as? [String: Any])?["GF_INSTALL_PLUGINS"] ?? "")"
        #expect(installed.hasPrefix(plugin + " "), "plugin installed, pinned")
        let prometheusURL = try #require(sources.first { $0["type"] as? String == "prometheus" }?["url"] as? String)
        #expect(prometheusURL == "http://prometheus:9090" && services["prometheus"] != nil)
        let kafkaServers = try #require(
            (sources.first { $0["type"] as? String == plugin }?["jsonData"] as? [String: Any])?["bootstrapServers"]
                as? String)
        #expect(kafkaServers == "kafka:9092")

        let dashboard = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.root.appendingPathComponent("\(dashboardFolder)/resonance.json")))
                as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let annotations = try #require((dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]])
        let metricsSource = try Self.text("Sources/Runtime/WorkerMetrics.swift")
        let sinks = try #require(try Self.pipeline()["sinks"] as? [String: String])
        let schemaOf = [
            sinks["aggregates"]!: "engagement-aggregate", sinks["spikes"]!: "spike",
            sinks["follower_health"]!: "follower-health", sinks["follower_drift"]!: "follower-drift",
        ]
        var titles: [String] = []
        for query in panels.flatMap({ ($0["targets"] as? [[String: Any]]) ?? [] })
            + annotations.filter({ $0["expr"] != nil })
        {
            let uid = try #require((query["datasource"] as? [String: Any])?["uid"] as? String)
            #expect(types[uid] != nil, "data source \(uid) is not provisioned")
            if let expr = query["expr"] as? String {
                let names = expr.matches(of: /resonance_[a-z_]+/).map { String($0.output) }
                #expect(!names.isEmpty)
                for name in names {
                    let family = name.replacing(/_(bucket|sum|count)$/, with: "")
                    #expect(metricsSource.contains("\"\(family)\""), "\(name) is not a metric the worker exports")
                }
            }
            if let topic = query["topicName"] as? String {
                #expect(schemaOf[topic] != nil, "\(topic) is not a result topic of the pipeline")
            }
        }
        for panel in panels {
            titles.append(panel["title"] as? String ?? "")
            guard let topic = (panel["targets"] as? [[String: Any]])?.first?["topicName"] as? String,
                let schema = schemaOf[topic]
            else { continue }
            let schemaText = try Self.text("Schemas/\(schema).v2.json")
            let fields = ((panel["transformations"] as? [[String: Any]]) ?? []).flatMap { transformation -> [String] in
                let options = transformation["options"] as? [String: Any]
                return ((options?["include"] as? [String: Any])?["names"] as? [String] ?? [])
                    + (options?["fields"] as? [String] ?? [])
            }
            for field in fields where field != "time" {
                #expect(schemaText.contains("\"\(field)\""), "\(field) is not in Schemas/\(schema).v2.json")
            }
        }
        for needed in [
            "Engagement score per creator", "Dormant share per creator", "Consumer lag", "Throughput",
            "Dead letters by reason",
        ] {
            #expect(titles.contains(needed))
        }
        #expect(annotations.contains { ($0["expr"] as? String)?.contains("spike_started") == true })
    }
}
