import CRdKafka
import Logging

/// Topic administration and cluster metadata.
///
/// The librdkafka mock cluster behind `resonance dev-broker` implements no CreateTopics request. When the broker
/// answers that it does not support it and a dev-broker control address is known, topics are created through
/// the dev broker's control channel instead (`DevBrokerControlClient`), with the same result.
public final class KafkaAdmin: @unchecked Sendable {
    private let client: RDKafkaClient
    private let devBrokerControl: String?

    /// Creates an admin client.
    /// - Parameter devBrokerControl: `host:port` of a dev broker's control channel, used only when the broker
    ///   lacks CreateTopics.
    public init(
        configuration: KafkaConfiguration,
        devBrokerControl: String? = nil,
        logger: Logger = Logger(label: "resonance.kafka.admin")
    ) throws(KafkaError) {
        client = try RDKafkaClient(
            configuration: configuration, role: .admin, context: RDKafkaClientContext(logger: logger))
        self.devBrokerControl = devBrokerControl
    }

    /// Creates topics; a topic that already exists is not an error.
    /// - Throws: `KafkaError` for the first topic that could not be created, or `.unsupportedFeature` when the broker
    ///   cannot create topics and no dev-broker control address was given.
    public func createTopics(_ topics: [KafkaTopicSpec], timeout: Duration = .seconds(10)) throws(KafkaError) {
        do {
            try createTopicsWithRequest(topics, timeout: timeout)
        } catch let error where error.code == .unsupportedFeature {
            guard let devBrokerControl else {
                throw KafkaError(
                    code: .unsupportedFeature,
                    message: "the broker has no CreateTopics (a librdkafka mock cluster?): create the topics with "
                        + "`resonance dev-broker --topic NAME` or pass its control address",
                    rdKafkaCode: error.rdKafkaCode)
            }
            let control = DevBrokerControlClient(address: devBrokerControl)
            for topic in topics { try control.createTopic(topic.name, partitions: topic.partitions) }
        }
    }

    private func createTopicsWithRequest(_ topics: [KafkaTopicSpec], timeout: Duration) throws(KafkaError) {
        // CreateTopics goes to the controller. The mock cluster names controller 0, which is none of its brokers
        // (ids start at 1), so the request would wait forever: recognise that and say so.
        let controller = rd_kafka_controllerid(client.handle, timeout.milliseconds)
        guard try metadata(timeout: timeout).brokers.contains(where: { $0.id == controller }) else {
            throw KafkaError(
                code: .unsupportedFeature, message: "the cluster has no reachable controller (id \(controller))")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard
                let newTopic = rd_kafka_NewTopic_new(
                    topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errstr, errstr.count)
            else {
                throw KafkaError(code: .invalidArgument, message: "topic \(topic.name): \(String(cBuffer: errstr))")
            }
            newTopics.append(newTopic)
            for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(newTopic, name, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "topic \(topic.name): config \(name)") }
            }
        }
        let queue = rd_kafka_queue_new(client.handle)!
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.milliseconds, &errstr, errstr.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 1000) else {
            throw KafkaError(code: .timedOut, message: "CreateTopics got no answer")
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, "CreateTopics: \(String(cString: rd_kafka_event_error_string(event)))")
        }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event),
            let results = rd_kafka_CreateTopics_result_topics(result, &count)
        else { return }
        for index in 0..<count {
            let topicResult = results[index]
            let topicErr = rd_kafka_topic_result_error(topicResult)
            if topicErr != RD_KAFKA_RESP_ERR_NO_ERROR && topicErr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                throw KafkaError(topicErr, "create topic \(String(cString: rd_kafka_topic_result_name(topicResult)))")
            }
        }
    }

    /// Brokers and topics as the cluster reports them.
    public func metadata(timeout: Duration = .seconds(10)) throws(KafkaError) -> KafkaClusterMetadata {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, timeout.milliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err, "metadata") }
        defer { rd_kafka_metadata_destroy(metadata) }
        return KafkaClusterMetadata(metadata.pointee)
    }
}

/// A topic to create.
public struct KafkaTopicSpec: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor (1 on a single-broker cluster).
    public var replicationFactor: Int
    /// Topic configuration entries (`cleanup.policy: compact`, …).
    public var configs: [String: String]

    /// Creates a topic specification.
    public init(name: String, partitions: Int, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
