import TestSupport
import Foundation
import RdKafka
import Testing

@Suite("Delivery under broker faults")
struct FaultToleranceTests {
    /// Counts how often each value arrived.
    static func valueCounts(_ records: [CapturedRecord]) -> [String: Int] {
        records.reduce(into: [:]) { counts, record in counts[String(decoding: record.value ?? [], as: UTF8.self), default: 0] += 1 }
    }

    @Test("broker down for 5 s during production (dev broker process): every message delivered exactly once")
    func brokerDownFiveSeconds() throws {
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics", "--topic", "outage:4"])
        var delivered = 0
        var failed: [KafkaError] = []
        let producer = try KafkaProducer(configuration: broker.configuration()) { report in
            if let error = report.error { failed.append(error) } else { delivered += 1 }
        }
        let total = 3000
        func send(_ range: Range<Int>) throws {
            for index in range { try producer.send(topic: "outage", key: Array("k\(index)".utf8), value: Array("v\(index)".utf8)) }
            producer.poll()
        }
        try send(0..<1000)
        try producer.flush(timeout: .seconds(10))
        try broker.control.send(.brokerDown(1))
        // While the broker is down, keep sending 1000..<2000 in small steps: they queue and retry.
        let downAt = ContinuousClock.now
        var cursor = 1000
        while ContinuousClock.now - downAt < .seconds(5) {
            try send(cursor..<min(cursor + 10, 2000))
            cursor = min(cursor + 10, 2000)
            usleep(50_000)
        }
        try send(cursor..<2000)
        try broker.control.send(.brokerUp(1))
        try send(2000..<total)
        try producer.flush(timeout: .seconds(60))
        #expect(failed.isEmpty, "\(failed.prefix(3))")

        let consumer = try KafkaConsumer(configuration: broker.configuration())
        try assignAll(consumer, topic: "outage", partitions: 4)
        let records = consumer.collect(total + 1, timeout: .seconds(20))
        let counts = Self.valueCounts(records)
        #expect(records.count == delivered)
        #expect(counts.values.allSatisfy { $0 == 1 }, "duplicates: \(counts.filter { $0.value > 1 }.prefix(5))")
        #expect(Set(counts.keys) == Set((0..<total).map { "v\($0)" }))
    }

    @Test("in-process MockCluster: request errors on Produce are retried without loss or duplicates")
    func pushedProduceErrors() throws {
        let cluster = try MockCluster(brokers: 1)
        try cluster.createTopic("errors", partitions: 2)
        try cluster.setRoundTripTime(broker: 1, milliseconds: 20)
        // 6 = NOT_LEADER_FOR_PARTITION, 7 = REQUEST_TIMED_OUT: both retriable.
        cluster.pushRequestErrors(apiKey: 0, errors: [6, 7, 6])
        var reports: [KafkaDeliveryReport] = []
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)) {
            reports.append($0)
        }
        for index in 0..<500 { try producer.send(topic: "errors", key: nil, value: Array("e\(index)".utf8)) }
        try producer.flush(timeout: .seconds(30))
        #expect(reports.count == 500)
        #expect(reports.allSatisfy { $0.error == nil })

        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
        try assignAll(consumer, topic: "errors", partitions: 2)
        let counts = Self.valueCounts(consumer.collect(501, timeout: .seconds(10)))
        #expect(counts.count == 500)
        #expect(counts.values.allSatisfy { $0 == 1 })
    }

    @Test("MockCluster rejects impossible requests with errors, not crashes")
    func mockClusterArguments() throws {
        #expect(throws: KafkaError.self) { try MockCluster(brokers: 0) }
        let cluster = try MockCluster(brokers: 2)
        #expect(cluster.bootstrapServers.split(separator: ",").count == 2)
        #expect(throws: KafkaError.self) { try cluster.createTopic("none", partitions: 0) }
        #expect(throws: KafkaError.self) { try cluster.setBrokerDown(9) }
        try cluster.setBrokerDown(2)
        try cluster.setBrokerUp(2)
    }

    @Test("invalid configuration is an error naming the property")
    func invalidConfiguration() throws {
        let configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1").with("no.such.property", "1")
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("no.such.property") == true)
        let secret = KafkaConfiguration(bootstrapServers: "x").with("sasl.password", "hunter2")
        #expect(!secret.redactedDescription(role: .producer).contains { $0.value == "hunter2" })
    }
}
