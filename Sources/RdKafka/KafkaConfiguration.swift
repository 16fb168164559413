import CRdKafka

/// Client configuration: the common settings as typed properties plus any librdkafka property verbatim.
///
/// Typed settings are applied first; `properties` (librdkafka names, `CONFIGURATION.md`) are applied after them and
/// therefore win. Nothing here reads the environment: callers decide where values come from.
public struct KafkaConfiguration: Sendable {
    /// Comma-separated `host:port` list (`bootstrap.servers`).
    public var bootstrapServers: String
    /// `client.id`, shown in broker logs.
    public var clientID: String = "resonance"
    /// Consumer group (`group.id`); required for `KafkaConsumer.subscribe`. Consumers that only `assign` may leave
    /// it nil (a placeholder group is used, and nothing is committed unless `commit` is called).
    public var groupID: String?
    /// `session.timeout.ms`: how long a silent member keeps its partitions.
    public var sessionTimeoutMilliseconds: Int?
    /// `auto.offset.reset` for partitions without a committed offset: `earliest` or `latest`.
    public var autoOffsetReset: String = "earliest"
    /// Producer idempotence (`enable.idempotence`), on by default so retries never duplicate.
    public var idempotentProducer: Bool = true
    /// `linger.ms` for the producer: 5 ms measured best on the mock cluster (see LIBRDKAFKA-NOTES).
    public var lingerMilliseconds: Int = 5
    /// librdkafka properties passed verbatim (`-X key=value`).
    public var properties: [String: String] = [:]

    /// The logical offset a partition without a committed offset starts from under the effective
    /// `auto.offset.reset` (`properties` win over `autoOffsetReset`), or nil when it is `error` or unknown.
    public var resetOffset: Int64? {
        switch properties["auto.offset.reset"] ?? autoOffsetReset {
        case "earliest", "smallest", "beginning": KafkaTopicPartition.beginningOffset
        case "latest", "largest", "end": KafkaTopicPartition.endOffset
        default: nil
        }
    }

    /// Creates a configuration for the given bootstrap servers.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// Sets a verbatim librdkafka property; returns self for chaining.
    public func with(_ key: String, _ value: String) -> KafkaConfiguration {
        var copy = self
        copy.properties[key] = value
        return copy
    }

    /// This configuration with `defaults` added where no property of the same name is set.
    public func with(_ defaults: [String: String]) -> KafkaConfiguration {
        var copy = self
        copy.properties = defaults.merging(properties) { _, own in own }
        return copy
    }

    /// Property names whose values must never be printed.
    public static let secretKeys: Set<String> = [
        "sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret",
        "ssl.key.pem", "ssl_key",
    ]

    /// Every property this configuration sets, secrets replaced by `[redacted]`, sorted by name.
    public func redactedDescription(role: KafkaClientRole) -> [(key: String, value: String)] {
        effectiveProperties(role: role).sorted { $0.key < $1.key }.map { entry in
            (entry.key, Self.secretKeys.contains(entry.key) ? "[redacted]" : entry.value)
        }
    }

    func effectiveProperties(role: KafkaClientRole) -> [String: String] {
        var result: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
        ]
        switch role {
        case .producer:
            result["enable.idempotence"] = idempotentProducer ? "true" : "false"
            result["linger.ms"] = String(lingerMilliseconds)
            result["batch.num.messages"] = "10000"
            result["batch.size"] = "1000000"
        case .consumer:
            // librdkafka only builds the consumer queue with a group id; assign-only readers get a placeholder.
            result["group.id"] = groupID ?? "resonance-assign-only"
            if let sessionTimeoutMilliseconds { result["session.timeout.ms"] = String(sessionTimeoutMilliseconds) }
            result["auto.offset.reset"] = autoOffsetReset
            // Not cooperative-sticky: librdkafka 2.0.2 aborts (an assertion in
            // rd_kafka_sticky_assignor_state_destroy) when such a member closes between joining and its first
            // assignment, which a worker stopped at the wrong instant does. Eager `range` rebalances revoke every
            // partition, and the worker checkpoints and restores them.
            result["partition.assignment.strategy"] = "range"
            result["enable.auto.offset.store"] = "false"
            result["enable.auto.commit"] = "false"
        case .admin:
            break
        }
        result.merge(properties) { _, verbatim in verbatim }
        return result
    }

    /// Builds a native `rd_kafka_conf_t`; the caller owns it until it is passed to `rd_kafka_new`.
    func makeNative(role: KafkaClientRole) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in effectiveProperties(role: role).sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let shown = Self.secretKeys.contains(key) ? "[redacted]" : value
                throw KafkaError(
                    code: .invalidConfiguration,
                    message: "\(key)=\(shown): \(String(cBuffer: errstr))"
                )
            }
        }
        return conf
    }
}

/// Which kind of client a configuration is turned into; decides the defaults applied.
public enum KafkaClientRole: Sendable {
    case producer, consumer, admin
}
