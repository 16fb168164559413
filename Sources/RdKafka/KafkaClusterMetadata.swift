import CRdKafka

/// A snapshot of the cluster's brokers and topics.
public struct KafkaClusterMetadata: Sendable {
    /// A broker of the cluster.
    public struct Broker: Sendable, Hashable {
        /// The broker id.
        public var id: Int32
        /// The advertised host.
        public var host: String
        /// The advertised port.
        public var port: Int32
    }

    /// A topic and its partitions.
    public struct Topic: Sendable, Hashable {
        /// The topic name.
        public var name: String
        /// Partition ids, ascending.
        public var partitions: [Int32]
        /// An error the broker reported for the topic, if any.
        public var error: Int32
    }

    /// The brokers.
    public var brokers: [Broker]
    /// The topics, by name.
    public var topics: [String: Topic]

    init(_ metadata: rd_kafka_metadata) {
        brokers = (0..<Int(metadata.broker_cnt)).map { index in
            let broker = metadata.brokers[index]
            return Broker(id: broker.id, host: String(cString: broker.host), port: broker.port)
        }
        var topics: [String: Topic] = [:]
        for index in 0..<Int(metadata.topic_cnt) {
            let topic = metadata.topics[index]
            let name = String(cString: topic.topic)
            let partitions = (0..<Int(topic.partition_cnt)).map { topic.partitions[$0].id }.sorted()
            topics[name] = Topic(name: name, partitions: partitions, error: topic.err.rawValue)
        }
        self.topics = topics
    }
}
