import ArgumentParser
import Foundation
import RdKafka

/// The connection flags every Kafka-facing subcommand shares (kcat/rpk conventions).
struct KafkaConnectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("b"), .customLong("bootstrap-server")],
        help: "Broker list host:port[,…]. Env: KAFKA_BOOTSTRAP_SERVERS. Default: localhost:9092.")
    var bootstrapServer: String?

    @Option(
        name: [.customShort("X")],
        help: ArgumentHelp("librdkafka property key=value (repeatable), passed verbatim.", valueName: "key=value"))
    var properties: [String] = []

    /// The configuration these flags (and the environment) describe.
    func configuration() throws -> KafkaConfiguration {
        let servers = bootstrapServer ?? ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "localhost:9092"
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        for property in properties {
            guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                throw ValidationError("-X expects key=value, got '\(property)'")
            }
            configuration.properties[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        return configuration
    }
}
