import CRdKafka
import Logging

/// librdkafka's in-process mock Kafka cluster: real Kafka protocol on 127.0.0.1, no installation, no disk.
///
/// Limits that matter (librdkafka 2.0.2): no CreateTopics/DeleteTopics (topics come from `createTopic` or are
/// auto-created with 4 partitions); each partition keeps at most ~5 MiB or 100,000 batches and silently drops its
/// oldest data past that; a group's first join waits a fixed 3 s. It is a development broker, not storage.
///
/// Thread safety: every method may be called from any thread (librdkafka forwards them to the mock's own thread).
public final class MockCluster: @unchecked Sendable {
    private let owner: RDKafkaClient
    private let cluster: OpaquePointer

    /// The comma-separated `host:port` list clients connect to.
    public let bootstrapServers: String
    /// The number of brokers (ids 1...brokerCount).
    public let brokerCount: Int

    /// Starts `brokers` mock brokers on random 127.0.0.1 ports.
    public init(brokers: Int = 1, logger: Logger = Logger(label: "resonance.mock-cluster")) throws(KafkaError) {
        guard brokers >= 1 else { throw KafkaError(code: .invalidArgument, message: "brokers must be ≥ 1, got \(brokers)") }
        // The mock needs an rd_kafka_t for bookkeeping; it never connects anywhere.
        var configuration = KafkaConfiguration(bootstrapServers: "")
        configuration.idempotentProducer = false
        configuration.clientID = "resonance-mock-cluster"
        configuration.properties["log_level"] = "4"  // it has no bootstrap servers on purpose; skip that notice
        owner = try RDKafkaClient(
            configuration: configuration, role: .admin, context: RDKafkaClientContext(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(owner.handle, Int32(brokers)) else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_mock_cluster_new failed")
        }
        self.cluster = cluster
        self.brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates `name` with `partitions` partitions (replication factor 1).
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) {
        guard partitions >= 1 else {
            throw KafkaError(code: .invalidArgument, message: "topic \(name): partitions must be ≥ 1, got \(partitions)")
        }
        try check(rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1), "create topic \(name)")
    }

    /// Takes broker `id` down: its connections close and it refuses new ones until `setBrokerUp`.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster, id), "broker \(id) down")
    }

    /// Brings broker `id` back on the same port.
    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster, id), "broker \(id) up")
    }

    /// Adds `milliseconds` of round-trip time to every response of broker `id`.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, id, Int32(milliseconds)), "broker \(id) rtt")
    }

    /// Moves the leadership of a partition to broker `id`.
    public func setPartitionLeader(topic: String, partition: Int32, broker id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, id), "leader \(topic)[\(partition)]")
    }

    /// Makes the next requests of Kafka API `apiKey` (0 = Produce, 1 = Fetch, …) fail with `errors`, one each,
    /// in order. Codes are librdkafka's `rd_kafka_resp_err_t` values (`KafkaError.rdKafkaCode`).
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, what) }
    }
}
