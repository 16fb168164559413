import Engagement
import Foundation
import Logging
import Pipeline
import RdKafka
import Runtime
import Testing

@Suite("Worker commits, in process, on librdkafka's mock cluster")
struct CommitConvergenceTests {
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

    @Test("commits refused with retriable errors are retried until they land: committed offsets reach the processed ones")
    func retriedCommits() throws {
        let cluster = try MockCluster(brokers: 1)
        try cluster.createTopic("interactions", partitions: 2)
        try Self.produceEvents(3000, to: cluster)
        // 27 = REBALANCE_IN_PROGRESS, 14 = COORDINATOR_LOAD_IN_PROGRESS, 7 = REQUEST_TIMED_OUT: answers to
        // OffsetCommit (API key 8) that librdkafka hands to the application (it retries coordinator moves itself).
        cluster.pushRequestErrors(apiKey: 8, errors: [27, 14, 7, 14])
        let spec = try PipelineLoader.parse(Self.pipeline, file: "commits.yaml").get()
        var configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.groupID = "commits"
        let worker = try Worker(spec: spec, configuration: configuration, logger: Logger(label: "test"), exitsAtEnd: true)
        try worker.run { false }
        #expect(worker.statistics.commitFailures >= 1, "the pushed errors reached a commit")

        let reader = try KafkaConsumer(configuration: configuration)
        let partitions = (0..<2).map { KafkaTopicPartition(topic: "interactions", partition: Int32($0), offset: 0) }
        let committed = try reader.committed(partitions, timeout: .seconds(10))
        for partition in committed {
            let end = try reader.watermarks(topic: "interactions", partition: partition.partition, timeout: .seconds(10)).high
            #expect(partition.offset == end, "partition \(partition.partition): committed \(partition.offset) of \(end)")
        }
    }
}
