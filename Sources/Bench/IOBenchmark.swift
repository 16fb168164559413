import Foundation
import RdKafka

/// `resonance bench io`: our producer and consumer against kcat on one dev broker, in one run.
///
/// Both producers send the same ~120-byte keyed messages read from one file; both consumers read the same topic
/// from the beginning. The dev broker runs in its own process. Figures are medians over `runs`.
public struct IOBenchmark {
    /// What to measure.
    public struct Options: Sendable {
        public var messages = 2_000_000
        public var partitions = 128
        public var runs = 3
        public var resonanceExecutable: String
        public var kcatExecutable = "kcat"

        /// Creates options; `resonanceExecutable` starts the dev broker.
        public init(resonanceExecutable: String) { self.resonanceExecutable = resonanceExecutable }
    }

    /// Messages per second of each path, medians over the runs.
    public struct Result: Sendable {
        public var ourProduce: Double
        public var kcatProduce: Double
        public var ourConsume: Double
        public var kcatConsume: Double
    }

    let options: Options
    let report: (String) -> Void

    /// Creates a benchmark that prints progress through `report`.
    public init(options: Options, report: @escaping (String) -> Void) {
        self.options = options
        self.report = report
    }

    /// Runs every path `runs` times and returns the medians.
    public func run() throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-bench-io-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("messages.tsv")
        let payload = BenchMessages.make(count: options.messages)
        try Data(payload.bytes).write(to: file)
        report("messages: \(options.messages), mean value \(payload.meanValueBytes) B, \(options.partitions) partitions per topic")

        var samples: [[Double]] = Array(repeating: [], count: 4)
        for run in 1...options.runs {
            // A fresh broker per run keeps every partition far below the mock's ~5 MiB retention.
            let broker = try BenchBroker(
                executable: options.resonanceExecutable,
                topics: ["ours", "kcat"].map { "bench-\($0)-\(run):\(options.partitions)" })
            let configuration = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
            let ours = "bench-ours-\(run)"
            let theirs = "bench-kcat-\(run)"
            samples[0].append(try measure("resonance produce") { try produce(payload, to: ours, configuration) })
            samples[1].append(try measure("kcat produce") {
                try runKcat(["-P", "-b", broker.bootstrapServers, "-t", theirs, "-K", "\t", "-l", file.path])
            })
            try verifyComplete(ours, configuration)
            try verifyComplete(theirs, configuration)
            samples[2].append(try measure("resonance consume") { try consume(ours, configuration) })
            samples[3].append(try measure("kcat consume") {
                try runKcat(["-C", "-b", broker.bootstrapServers, "-t", ours, "-o", "beginning", "-e", "-q"])
            })
            broker.stop()
        }
        let medians = samples.map { Double(options.messages) / Self.median($0) }
        return Result(ourProduce: medians[0], kcatProduce: medians[1], ourConsume: medians[2], kcatConsume: medians[3])
    }

    private func measure(_ label: String, _ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        report(String(format: "  %@ %6.2f s  %10.0f msgs/s", label.padding(toLength: 18, withPad: " ", startingAt: 0), seconds, Double(options.messages) / seconds))
        return seconds
    }

    private func produce(_ payload: BenchMessages, to topicName: String, _ configuration: KafkaConfiguration) throws {
        var failures = 0
        let producer = try KafkaProducer(configuration: configuration) { if $0.error != nil { failures += 1 } }
        let topic = try producer.topic(topicName)
        try payload.bytes.withUnsafeBytes { bytes in
            for line in payload.lines {
                try producer.send(
                    to: topic,
                    key: UnsafeRawBufferPointer(rebasing: bytes[line.key]),
                    value: UnsafeRawBufferPointer(rebasing: bytes[line.value]))
            }
        }
        try producer.flush(timeout: .seconds(120))
        guard failures == 0 else { throw KafkaError(code: .deliveryFailed, message: "\(failures) messages failed") }
    }

    private func consume(_ topic: String, _ configuration: KafkaConfiguration) throws {
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.assign((0..<Int32(options.partitions)).map {
            KafkaTopicPartition(topic: topic, partition: $0, offset: KafkaTopicPartition.beginningOffset)
        })
        var received = 0
        let started = ContinuousClock.now
        var firstAt: Duration?
        let deadline = ContinuousClock.now + .seconds(300)
        while received < options.messages && ContinuousClock.now < deadline {
            consumer.consumeBatch(timeout: .milliseconds(100)) { batch in
                if firstAt == nil && !batch.isEmpty { firstAt = ContinuousClock.now - started }
                for record in batch where !record.isError && record.value != nil { received += 1 }
            }
        }
        report("  first record after \((firstAt ?? .zero).formatted(.units(allowed: [.milliseconds])))")
        guard received == options.messages else {
            throw KafkaError(code: .timedOut, message: "consumed \(received) of \(options.messages)")
        }
    }

    private func verifyComplete(_ topic: String, _ configuration: KafkaConfiguration) throws {
        let consumer = try KafkaConsumer(configuration: configuration)
        var total: Int64 = 0
        for partition in 0..<Int32(options.partitions) {
            let marks = try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(10))
            guard marks.low == 0 else {
                throw KafkaError(code: .invalidArgument, message: "\(topic)[\(partition)] lost data to the mock's retention; use more partitions")
            }
            total += marks.high
        }
        guard total == options.messages else {
            throw KafkaError(code: .invalidArgument, message: "\(topic) holds \(total) of \(options.messages) messages")
        }
    }

    private func runKcat(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [options.kcatExecutable] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw KafkaError(code: .invalidArgument, message: "kcat \(arguments.first ?? "") exited \(process.terminationStatus)")
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
