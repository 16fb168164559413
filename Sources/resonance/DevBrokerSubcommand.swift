import ArgumentParser
import Foundation
import RdKafka

struct DevBrokerSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) for local use and tests.",
        discussion: """
            Prints one line KAFKA_BOOTSTRAP_SERVERS=host:port[,…] on stdout and runs until SIGINT or SIGTERM,
            then exits 0. Creates the default pipeline topics (\(DefaultTopics.names.joined(separator: ", ")))
            and every --topic. A control channel on 127.0.0.1 (address on stderr as
            RESONANCE_DEV_BROKER_CONTROL=… and in --control-file) creates topics and takes brokers down and up for
            other processes, because the mock implements no CreateTopics request.

            It is a development broker, not storage: each partition keeps at most about 5 MiB (or 100,000
            batches) and silently drops its oldest data past that (500,000 messages of 150 bytes into one
            partition leave about 30,000); no compaction, nothing on disk. A consumer group's first join waits a
            fixed 3 s in librdkafka 2.0.2.
            """
    )

    @Option(help: "Number of brokers (ids 1…N).")
    var brokers = 1

    @Option(help: "Partitions of every topic created without an explicit count.")
    var partitions = 8

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp("Extra topic to create, NAME or NAME:PARTITIONS (repeatable).", valueName: "name"))
    var topics: [String] = []

    @Flag(help: "Create only the --topic topics, not the default pipeline topics.")
    var noDefaultTopics = false

    @Option(help: "Also write the bootstrap string to this file (atomically).")
    var addrFile: String?

    @Option(help: "Write the control channel address to this file (atomically).")
    var controlFile: String?

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be ≥ 1, got \(brokers)") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be ≥ 1, got \(partitions)") }
        _ = try requestedTopics()
    }

    func run() throws {
        ProcessSignals.trapTermination()
        let cluster = try MockCluster(brokers: brokers)
        for (name, count) in try requestedTopics() {
            try cluster.createTopic(name, partitions: count)
        }
        let control = try DevBrokerControlServer(cluster: cluster)
        if let addrFile { try writeAtomically(cluster.bootstrapServers, to: addrFile) }
        if let controlFile { try writeAtomically(control.address, to: controlFile) }
        StandardStreams.writeLine("RESONANCE_DEV_BROKER_CONTROL=\(control.address)", to: .error)
        StandardStreams.writeLine("KAFKA_BOOTSTRAP_SERVERS=\(cluster.bootstrapServers)", to: .output)
        _ = ProcessSignals.waitForTermination()
        control.stop()
    }

    private func requestedTopics() throws -> [(String, Int)] {
        let defaults = noDefaultTopics ? [] : DefaultTopics.names.map { ($0, partitions) }
        let extra = try topics.map { spec -> (String, Int) in
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, !parts[0].isEmpty else {
                throw ValidationError("--topic expects NAME or NAME:PARTITIONS, got '\(spec)'")
            }
            guard parts.count == 2 else { return (String(parts[0]), partitions) }
            guard let count = Int(parts[1]), count >= 1 else {
                throw ValidationError("--topic \(spec): partitions must be an integer ≥ 1")
            }
            return (String(parts[0]), count)
        }
        return defaults + extra
    }

    private func writeAtomically(_ text: String, to path: String) throws {
        let temporary = path + ".tmp"
        try (text + "\n").write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The topics of the default pipeline, created by `dev-broker` so a fresh broker is ready for `make demo`; its state
/// topic too, so that checkpoints spread over as many partitions as the source has (the mock cannot create topics
/// on request, and one it creates on first use has a partition count the worker cannot plan for).
enum DefaultTopics {
    static let names = [
        "interactions", "engagement-aggregates", "community-spikes", "follower-health", "follower-drift",
        "interactions-dlq", "resonance-engagement-state",
    ]
}
