import TestSupport
import Foundation
import RdKafka
import Testing

@Suite("Consumer groups across processes")
struct ConsumerGroupTests {
    /// One line of `resonance consume --format envelope`.
    struct Seen: Decodable, Hashable {
        var partition: Int32
        var offset: Int64
        var value: String?
    }

    static func seen(_ child: ChildProcess) -> [Seen] {
        child.stdoutLines.compactMap { try? JSONDecoder().decode(Seen.self, from: Data($0.utf8)) }
    }

    static func startMember(_ broker: DevBrokerProcess, group: String) throws -> ChildProcess {
        try ChildProcess(
            ResonanceBinary.url,
            ["consume", "grp", "-b", broker.bootstrapServers, "-g", group, "--format", "envelope",
             "-X", "session.timeout.ms=4000", "-X", "heartbeat.interval.ms=500"])
    }

    static func produce(_ producer: KafkaProducer, _ range: Range<Int>) throws {
        for index in range {
            try producer.send(topic: "grp", partition: Int32(index % 8), key: Array("k\(index)".utf8), value: Array("m\(index)".utf8))
        }
        try producer.flush(timeout: .seconds(10))
    }

    @Test("two processes split 8 partitions; after kill -9 of one the other owns all 8 from the committed offsets")
    func splitAndTakeOver() throws {
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics", "--topic", "grp:8"])
        let producer = try KafkaProducer(configuration: broker.configuration())
        let group = "g-\(UUID().uuidString.prefix(8))"
        let first = try Self.startMember(broker, group: group)
        let second = try Self.startMember(broker, group: group)
        // Keep producing rounds until one round is read by both members, each partition by one of them: then the
        // group has settled (a member that joined first may read all 8 partitions before the split).
        var produced = 0
        var firstPartitions = Set<Int32>(), secondPartitions = Set<Int32>()
        let split = eventually(timeout: .seconds(40)) {
            let marks = (Self.seen(first).count, Self.seen(second).count)
            try? Self.produce(producer, produced..<(produced + 80))
            produced += 80
            usleep(700_000)
            firstPartitions = Set(Self.seen(first).dropFirst(marks.0).map(\.partition))
            secondPartitions = Set(Self.seen(second).dropFirst(marks.1).map(\.partition))
            return !firstPartitions.isEmpty && !secondPartitions.isEmpty && firstPartitions.isDisjoint(with: secondPartitions)
                && firstPartitions.count + secondPartitions.count == 8
        }
        #expect(split, "both members should settle on a split of the 8 partitions")

        first.kill(SIGKILL)
        first.waitForExit(timeout: .seconds(5))
        let killedOutput = Self.seen(first)
        // The committed offsets of the dead member's partitions, read before anyone takes them over.
        let probe = try KafkaConsumer(configuration: broker.configuration(group: group))
        let committed = try probe.committed(firstPartitions.map { KafkaTopicPartition(topic: "grp", partition: $0) }, timeout: .seconds(5))
        for partition in committed {
            let printed = killedOutput.filter { $0.partition == partition.partition }.map(\.offset)
            // Everything below the committed offset was processed (printed) by the killed member.
            #expect(partition.offset >= 0)
            #expect(Set(printed).isSuperset(of: 0..<partition.offset), "committed \(partition) lost messages")
        }

        try Self.produce(producer, produced..<(produced + 400))
        produced += 400
        let total = produced
        let tookOver = eventually(timeout: .seconds(40)) {
            Set(Self.seen(second).map(\.partition)).count == 8
                && Set(Self.seen(second).compactMap(\.value) + killedOutput.compactMap(\.value)).count == total
        }
        #expect(tookOver, "the survivor should own all 8 partitions and everything should be read")
        let survivor = Self.seen(second)
        for partition in committed {
            let resumed = survivor.filter { $0.partition == partition.partition }.map(\.offset).min()
            #expect(resumed == partition.offset, "\(partition.partition) should resume at its committed offset")
        }
        second.kill(SIGTERM)
        #expect(second.waitForExit(timeout: .seconds(15)) == 0)
        #expect(broker.stop() == 0)
    }
}
