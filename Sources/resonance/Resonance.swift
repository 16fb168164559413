import ArgumentParser

@main
struct Resonance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resonance",
        abstract: "Creator-engagement stream processor on Kafka.",
        discussion: """
            Connection settings never live in pipeline files: -b/--bootstrap-server, else the
            KAFKA_BOOTSTRAP_SERVERS environment variable, else localhost:9092. Repeat -X key=value to pass
            librdkafka properties. Exit codes: 0 ok, 1 runtime failure, 64 usage error.
            """,
        subcommands: [DevBrokerSubcommand.self, ProduceSubcommand.self, ConsumeSubcommand.self, RunSubcommand.self, ReplaySubcommand.self, ValidateSubcommand.self, ReportSubcommand.self, EvalSubcommand.self, BenchSubcommand.self]
    )
}
