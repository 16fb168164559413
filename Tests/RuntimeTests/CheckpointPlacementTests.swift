import Foundation
import Logging
import Pipeline
import RdKafka
import Runtime
import Testing

@Suite("Where checkpoints go, in process, on librdkafka's mock cluster")
struct CheckpointPlacementTests {
    @Test("checkpoints of source partition P are keyed P/chunk on state partition P mod N, and restore from there")
    func spreadByPartition() throws {
        let (cluster, spec, configuration) = try MockClusterWorkload.start(partitions: 6, statePartitions: 4)
        try Worker(spec: spec, configuration: configuration, logger: Logger(label: "test"), exitsAtEnd: true).run {
            false
        }

        let reader = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
        var sources: [Int32: Set<Int32>] = [:]
        for statePartition in Int32(0)..<4 {
            let end = try reader.watermarks(topic: "commits-state", partition: statePartition, timeout: .seconds(10))
                .high
            guard end > 0 else { continue }
            try reader.assign([KafkaTopicPartition(topic: "commits-state", partition: statePartition, offset: 0)])
            var read: Int64 = 0
            let deadline = ContinuousClock.now + .seconds(20)
            while read < end && ContinuousClock.now < deadline {
                reader.consumeBatch(timeout: .milliseconds(200)) { batch in
                    for record in batch where !record.isError {
                        read = record.offset + 1
                        let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                        if let source = Int32(key.prefix { $0 != "/" }) {
                            sources[statePartition, default: []].insert(source)
                        }
                    }
                }
            }
        }
        #expect(sources.values.reduce(0) { $0 + $1.count } == 6, "every source partition checkpointed: \(sources)")
        for (statePartition, held) in sources {
            #expect(held.allSatisfy { $0 % 4 == statePartition }, "\(statePartition): \(held)")
        }

        // A second worker of the group resumes every partition from those checkpoints: nothing left to read.
        let second = try Worker(
            spec: spec, configuration: configuration, logger: Logger(label: "test"), exitsAtEnd: true)
        try second.run { false }
        #expect(second.statistics.restoredPartitions == 6)
        #expect(second.statistics.recordsIn == 0)
    }
}
