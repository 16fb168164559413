import Foundation
import Pipeline
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
            let value =
                #"{"event_id":"e\#(index)","ts":\#(1_700_000_000_000 + Int64(index) * 1000),"creator_id":"\#(creator)","user_id":"u\#(index % 97)","kind":"like"}"#
            try producer.send(topic: "interactions", key: Array(creator.utf8), value: Array(value.utf8))
            if index % 500 == 0 { _ = producer.poll() }
        }
        try producer.flush(timeout: .seconds(30))
    }

    /// A cluster whose `interactions` topic has `partitions` partitions holding 3,000 events (and, when asked, a
    /// state topic of `statePartitions`), the pipeline, and a configuration for its group `commits`.
    static func start(partitions: Int, statePartitions: Int? = nil) throws -> (
        cluster: MockCluster, spec: PipelineSpec, configuration: KafkaConfiguration
    ) {
        let cluster = try MockCluster(brokers: 1)
        try cluster.createTopic("interactions", partitions: partitions)
        if let statePartitions { try cluster.createTopic("commits-state", partitions: statePartitions) }
        try produceEvents(3000, to: cluster)
        var configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.groupID = "commits"
        return (cluster, try PipelineLoader.parse(pipeline, file: "commits.yaml").get(), configuration)
    }
}
