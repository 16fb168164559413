import TestSupport
import Foundation
import RdKafka
import Testing

@Suite("Interop with kcat, an independent librdkafka client")
struct InteropTests {
    static let count = 10_000

    /// Distinct keys and values, with non-ASCII text and JSON-looking payloads.
    static func message(_ index: Int) -> (key: String, value: String) {
        ("creator-\(index % 97)-\(index)", #"{"i":\#(index),"text":"héllo ✓ \#(index)"}"#)
    }

    @Test("kcat -P writes 10,000 messages that KafkaConsumer reads identically")
    func kcatToUs() throws {
        let kcat = try #require(which("kcat"), "kcat is installed by `make test`")
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics", "--topic", "from-kcat:4"])
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("kcat-in-\(UUID().uuidString)")
        let lines = (0..<Self.count).map { let m = Self.message($0); return "\(m.key)\t\(m.value)" }
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let producer = try ChildProcess(kcat, ["-P", "-b", broker.bootstrapServers, "-t", "from-kcat", "-K", "\t", "-H", "origin=kcat", "-l", input.path])
        #expect(producer.waitForExit(timeout: .seconds(60)) == 0, "\(producer.stderr)")

        let consumer = try KafkaConsumer(configuration: broker.configuration())
        try assignAll(consumer, topic: "from-kcat", partitions: 4)
        let records = consumer.collect(Self.count, timeout: .seconds(30))
        #expect(records.count == Self.count)
        let received = Set(records.map { String(decoding: $0.key ?? [], as: UTF8.self) + "\t" + String(decoding: $0.value ?? [], as: UTF8.self) })
        #expect(received == Set(lines))
        #expect(records.allSatisfy { $0.headers == [KafkaHeader("origin", "kcat")] })
        // Same key, same partition: kcat and librdkafka share the default partitioner.
        let partitionsPerKey = Dictionary(grouping: records, by: { $0.key ?? [] }).mapValues { Set($0.map(\.partition)).count }
        #expect(partitionsPerKey.values.allSatisfy { $0 == 1 })
    }

    @Test("KafkaProducer writes 10,000 messages that kcat -C -e reads identically")
    func usToKcat() throws {
        let kcat = try #require(which("kcat"), "kcat is installed by `make test`")
        let broker = try DevBrokerProcess(arguments: ["--no-default-topics", "--topic", "to-kcat:4"])
        var failures = 0
        let producer = try KafkaProducer(configuration: broker.configuration()) { if $0.error != nil { failures += 1 } }
        for index in 0..<Self.count {
            let m = Self.message(index)
            try producer.send(topic: "to-kcat", key: Array(m.key.utf8), value: Array(m.value.utf8),
                              headers: [KafkaHeader("n", "\(index)")], timestamp: 1_700_000_000_000 + Int64(index))
        }
        try producer.flush(timeout: .seconds(30))
        #expect(failures == 0)

        let reader = try ChildProcess(kcat, ["-C", "-b", broker.bootstrapServers, "-t", "to-kcat", "-o", "beginning", "-e", "-q",
                                             "-f", "%k\t%s\t%T\t%h\n"])
        #expect(reader.waitForExit(timeout: .seconds(60)) == 0, "\(reader.stderr)")
        let expected = Set((0..<Self.count).map { index in
            let m = Self.message(index)
            return "\(m.key)\t\(m.value)\t\(1_700_000_000_000 + index)\tn=\(index)"
        })
        #expect(Set(reader.stdoutLines) == expected)
        #expect(reader.stdoutLines.count == Self.count)
    }
}
