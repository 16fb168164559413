import ArgumentParser

@main
struct Resonance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resonance",
        abstract: "Creator-engagement stream processor on Kafka.",
        discussion: """
            Reads interaction events from Kafka, keeps event-time engagement windows per creator, detects \
            community spikes and follower drift, and writes the results to Kafka topics as JSON.

            Kafka-facing subcommands (produce, consume, run, report, community) share:
              -b, --bootstrap-server <host:port,…>   brokers (default: localhost:9092)
              -X <key=value>                         librdkafka property, repeatable
            Connection settings never live in pipeline files.

            Environment:
              KAFKA_BOOTSTRAP_SERVERS    brokers when -b is not given
              RESONANCE_KAFKA_<NAME>     librdkafka property (sasl_password: sasl.password)
              RESONANCE_OPS_PORT         run: --ops-port
              RESONANCE_OPS_BIND         run: --ops-bind
              LOG_LEVEL                  --log-level

            Quick start:
              resonance dev-broker &            (prints KAFKA_BOOTSTRAP_SERVERS=…)
              resonance run Pipelines/engagement.yaml -b 127.0.0.1:PORT &
              resonance produce -b 127.0.0.1:PORT --scenario mix --rate 500
              resonance consume engagement-aggregates -b 127.0.0.1:PORT --format table

            Exit codes: 0 ok, 1 runtime failure, 64 usage error, 128+N ended by signal N.
            """,
        subcommands: [
            DevBrokerSubcommand.self, ProduceSubcommand.self, ConsumeSubcommand.self, RunSubcommand.self,
            ReplaySubcommand.self, ValidateSubcommand.self, ReportSubcommand.self, CommunitySubcommand.self,
            DashboardSubcommand.self,
            EvalSubcommand.self, BenchSubcommand.self,
        ]
    )

    /// Parses and runs the subcommand. SIGTERM and SIGINT are unblocked first (an inherited mask must not make
    /// them pending forever), and a worker traps them before anything else, so that a stop in its first
    /// milliseconds is still graceful (`EarlyTermination`).
    static func main() async {
        ProcessSignals.unblockTermination()
        if CommandLine.arguments.dropFirst().first == "run" { EarlyTermination.trap() }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
