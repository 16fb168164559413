import Engagement
import Foundation
import Logging
import Pipeline
import RdKafka
import Runtime
import Testing

@Suite("Worker commits, in process, on librdkafka's mock cluster")
struct CommitConvergenceTests {
    @Test(
        "commits refused with retriable errors are retried until they land: committed offsets reach the processed ones")
    func retriedCommits() throws {
        let (cluster, spec, configuration) = try MockClusterWorkload.start(partitions: 2)
        // 27 = REBALANCE_IN_PROGRESS, 14 = COORDINATOR_LOAD_IN_PROGRESS, 7 = REQUEST_TIMED_OUT: answers to
        // OffsetCommit (API key 8) that librdkafka hands to the application (it retries coordinator moves itself).
        cluster.pushRequestErrors(apiKey: 8, errors: [27, 14, 7, 14])
        let worker = try Worker(
            spec: spec, configuration: configuration, logger: Logger(label: "test"), exitsAtEnd: true)
        try worker.run { false }
        #expect(worker.statistics.commitFailures >= 1, "the pushed errors reached a commit")

        let reader = try KafkaConsumer(configuration: configuration)
        let partitions = (0..<2).map { KafkaTopicPartition(topic: "interactions", partition: Int32($0), offset: 0) }
        let committed = try reader.committed(partitions, timeout: .seconds(10))
        for partition in committed {
            let end = try reader.watermarks(
                topic: "interactions", partition: partition.partition, timeout: .seconds(10)
            ).high
            #expect(
                partition.offset == end, "partition \(partition.partition): committed \(partition.offset) of \(end)")
        }
    }
}
