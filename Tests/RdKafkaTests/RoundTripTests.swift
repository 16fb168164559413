import TestSupport
import Foundation
import RdKafka
import Testing

@Suite("Produce and consume through a dev broker in another process")
struct RoundTripTests {
    @Test("keys, values, headers, timestamps, null values and empty keys survive the round trip")
    func roundTrip() throws {
        let broker = try DevBrokerProcess(arguments: ["--topic", "round-trip:3"])
        var reports: [UInt64: KafkaDeliveryReport] = [:]
        let producer = try KafkaProducer(configuration: broker.configuration()) { reports[$0.messageID] = $0 }
        let cases: [(key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader], timestamp: Int64?)] = [
            (Array("creator-1".utf8), Array(#"{"kind":"like"}"#.utf8), [KafkaHeader("reason", "none")], 1_732_665_600_123),
            (nil, Array("null key".utf8), [], 1_700_000_000_000),
            ([], Array("empty key".utf8), [KafkaHeader("a", "1"), KafkaHeader("b", nil)], 1_700_000_000_001),
            (Array("tombstone".utf8), nil, [], 1_700_000_000_002),
            (Array("empty value".utf8), [], [KafkaHeader("binary", [0, 255, 10])], 1_700_000_000_003),
            (Array([0xFF, 0x00, 0xC3]), Array([0x00, 0x01, 0xFE]), [], nil),
        ]
        var ids: [UInt64] = []
        for (index, item) in cases.enumerated() {
            ids.append(try producer.send(
                topic: "round-trip", partition: Int32(index % 3), key: item.key, value: item.value,
                headers: item.headers, timestamp: item.timestamp))
        }
        try producer.flush(timeout: .seconds(10))
        #expect(reports.count == cases.count)
        #expect(reports.values.allSatisfy { $0.error == nil && $0.offset >= 0 })

        let consumer = try KafkaConsumer(configuration: broker.configuration())
        try assignAll(consumer, topic: "round-trip", partitions: 3)
        let received = consumer.collect(cases.count, timeout: .seconds(15))
        #expect(received.count == cases.count)
        for (index, item) in cases.enumerated() {
            let report = try #require(reports[ids[index]])
            let record = try #require(received.first { $0.partition == report.partition && $0.offset == report.offset })
            #expect(record.key == item.key, "case \(index)")
            #expect(record.value == item.value, "case \(index)")
            #expect(record.headers == item.headers, "case \(index)")
            if let timestamp = item.timestamp { #expect(record.timestamp == timestamp, "case \(index)") }
            #expect(record.partition == Int32(index % 3))
        }
        #expect(broker.stop() == 0)
    }

    @Test("a group member starts each partition where its start-offsets hook says: the beginning, or the end")
    func logicalStartOffsets() throws {
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics", "--topic", "starts:2"])
        let producer = try KafkaProducer(configuration: broker.configuration())
        for index in 0..<6 { try producer.send(topic: "starts", partition: Int32(index % 2), key: nil, value: Array("old\(index)".utf8)) }
        try producer.flush(timeout: .seconds(10))
        let consumer = try KafkaConsumer(configuration: broker.configuration(group: "starts-\(UUID().uuidString.prefix(8))"))
        var assigned = false
        consumer.startOffsets = { partitions in
            partitions.map {
                KafkaTopicPartition(topic: $0.topic, partition: $0.partition,
                                    offset: $0.partition == 0 ? KafkaTopicPartition.beginningOffset : KafkaTopicPartition.endOffset)
            }
        }
        consumer.onRebalance = { if case .assigned = $0 { assigned = true } }
        try consumer.subscribe(["starts"])
        var received = consumer.collect(3, timeout: .seconds(15))
        #expect(assigned)
        for index in 6..<10 { try producer.send(topic: "starts", partition: Int32(index % 2), key: nil, value: Array("new\(index)".utf8)) }
        try producer.flush(timeout: .seconds(10))
        received += consumer.collect(4, timeout: .seconds(15))
        let values = Set(received.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } })
        #expect(values == ["old0", "old2", "old4", "new6", "new8", "new7", "new9"])
        #expect(received.count == 7)
        try consumer.close()
        #expect(broker.stop() == 0)
    }

    @Test("auto.offset.reset names the logical start offset, the verbatim property winning")
    func resetOffset() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        #expect(configuration.resetOffset == KafkaTopicPartition.beginningOffset)
        configuration.autoOffsetReset = "latest"
        #expect(configuration.resetOffset == KafkaTopicPartition.endOffset)
        configuration.properties["auto.offset.reset"] = "smallest"
        #expect(configuration.resetOffset == KafkaTopicPartition.beginningOffset)
        configuration.properties["auto.offset.reset"] = "error"
        #expect(configuration.resetOffset == nil)
    }

    @Test("the dev broker prints one stdout line, writes --addr-file and exits 0 on SIGTERM")
    func devBrokerContract() throws {
        let addrFile = FileManager.default.temporaryDirectory.appendingPathComponent("addr-\(UUID().uuidString)")
        let broker = try DevBrokerProcess(arguments: ["--addr-file", addrFile.path, "--partitions", "5"])
        let written = try String(contentsOf: addrFile, encoding: .utf8)
        #expect(written == broker.bootstrapServers + "\n")
        #expect(broker.child.stdoutLines == ["KAFKA_BOOTSTRAP_SERVERS=\(broker.bootstrapServers)"])
        let metadata = try KafkaAdmin(configuration: broker.configuration()).metadata()
        #expect(metadata.topics["interactions"]?.partitions.count == 5)
        #expect(metadata.topics["interactions-dlq"]?.partitions.count == 5)
        #expect(broker.stop() == 0)
    }

    @Test("dev-broker rejects a bad flag with exit 64")
    func devBrokerUsageError() throws {
        let child = try ChildProcess(ResonanceBinary.url, ["dev-broker", "--partitions", "0"])
        #expect(child.waitForExit(timeout: .seconds(10)) == 64)
        #expect(child.stderr.contains("--partitions"))
    }

    @Test("KafkaAdmin creates topics through the dev broker's control channel when CreateTopics is missing")
    func adminFallback() throws {
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics"])
        let plain = try KafkaAdmin(configuration: broker.configuration())
        #expect(throws: KafkaError.self) { try plain.createTopics([KafkaTopicSpec(name: "made", partitions: 6)]) }
        let admin = try KafkaAdmin(configuration: broker.configuration(), devBrokerControl: broker.controlAddress)
        try admin.createTopics([KafkaTopicSpec(name: "made", partitions: 6)])
        #expect(try admin.metadata().topics["made"]?.partitions == Array(0..<6))
        #expect(broker.stop() == 0)
    }
}
