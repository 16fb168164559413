import Foundation
import RdKafka

/// A small pipeline and its input on librdkafka's in-process mock cluster, for tests that run a `Worker` in process.
enum MockClusterWorkload {
    static let pipeline = """
        version: 1
        name: commits
        source: {topic: interactions, group: commits}
        window: {kind: tumbling, size: 60s, grace: 5s}
        sinks: {aggregates: aggregates, dead_letters: dead-letters}
        """

    /// Produces `count` events over `partitions` partitions of `interactions`, one second apart.
    static func produceEvents(_ count: Int, to cluster: MockCluster) throws {
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
        for index in 0..<count {
            let creator = "c\(index % 16)"
            let value = #"{"event_id":"e\#(index)","ts":\#(1_700_000_000_000 + Int64(index) * 1000),"creator_id":"\#(creator)","user_id":"u\#(index % 97)","kind":"like"}"#
            try producer.send(topic: "interactions", key: Array(creator.utf8), value: Array(value.utf8))
            if index % 500 == 0 { _ = producer.poll() }
        }
        try producer.flush(timeout: .seconds(30))
    }
}
