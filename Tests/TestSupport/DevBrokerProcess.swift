import Foundation
import RdKafka

/// `resonance dev-broker` in its own process, for tests: started in `init`, ended by PID in `stop` or `deinit`.
public final class DevBrokerProcess: @unchecked Sendable {
    public let child: ChildProcess
    public let bootstrapServers: String
    public let controlAddress: String

    public init(arguments: [String] = []) throws {
        let child = try ChildProcess(ResonanceBinary.url, ["dev-broker"] + arguments)
        self.child = child
        var bootstrap: String?
        var control: String?
        _ = eventually(timeout: .seconds(10)) {
            bootstrap = child.stdoutLines.first { $0.hasPrefix("KAFKA_BOOTSTRAP_SERVERS=") }
            control = child.stderr.split(separator: "\n").first { $0.hasPrefix("RESONANCE_DEV_BROKER_CONTROL=") }.map(String.init)
            return bootstrap != nil && control != nil
        }
        guard let bootstrap, let control else {
            child.kill(SIGKILL)
            throw KafkaError(code: .clientCreation, message: "dev-broker did not start: \(child.stderr)")
        }
        bootstrapServers = String(bootstrap.dropFirst("KAFKA_BOOTSTRAP_SERVERS=".count))
        controlAddress = String(control.dropFirst("RESONANCE_DEV_BROKER_CONTROL=".count))
    }

    deinit { child.kill(SIGKILL) }

    public var control: DevBrokerControlClient { DevBrokerControlClient(address: controlAddress) }

    /// A client configuration for this broker with test-friendly group timings (the mock waits
    /// `session.timeout.ms − 1000` ms per rebalance round).
    public func configuration(group: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrapServers)
        configuration.groupID = group
        configuration.sessionTimeoutMilliseconds = 4000
        configuration.properties["heartbeat.interval.ms"] = "500"
        return configuration
    }

    /// SIGTERM, then the exit status.
    public func stop() -> Int32? {
        child.kill(SIGTERM)
        return child.waitForExit(timeout: .seconds(10))
    }
}
