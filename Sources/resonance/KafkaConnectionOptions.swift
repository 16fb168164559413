import ArgumentParser
import Foundation
import RdKafka

/// The connection flags every Kafka-facing subcommand shares (kcat/rpk conventions).
struct KafkaConnectionOptions: ParsableArguments {
    @Option(
        name: [.customShort("b"), .customLong("bootstrap-server")],
        help: ArgumentHelp(
            "Bootstrap broker(s) (env: KAFKA_BOOTSTRAP_SERVERS, default: localhost:9092).", valueName: "host:port,…"))
    var bootstrapServer: String?

    @Option(
        name: [.customShort("X")],
        help: ArgumentHelp(
            "librdkafka property, repeatable, passed verbatim (env: RESONANCE_KAFKA_<PROPERTY>, e.g. RESONANCE_KAFKA_SASL_PASSWORD for sasl.password; -X wins).",
            valueName: "key=value"))
    var properties: [String] = []

    /// The configuration these flags (and the environment) describe.
    func configuration() throws -> KafkaConfiguration {
        let servers = bootstrapServer ?? ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] ?? "localhost:9092"
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.properties = Self.environmentProperties(ProcessInfo.processInfo.environment)
        for property in properties {
            guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                throw ValidationError("-X expects key=value, got '\(property)'")
            }
            configuration.properties[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        return configuration
    }

    /// librdkafka properties from `RESONANCE_KAFKA_*` variables: the rest of the name, lowercased, with `_` for `.`
    /// (librdkafka's property names have dots, never underscores). Lets secrets such as `sasl.password` come from
    /// the environment (a container secret) instead of the command line, where `ps` would show them.
    static func environmentProperties(_ environment: [String: String]) -> [String: String] {
        let prefix = "RESONANCE_KAFKA_"
        var properties: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(prefix) && name.count > prefix.count {
            properties[name.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        return properties
    }
}
