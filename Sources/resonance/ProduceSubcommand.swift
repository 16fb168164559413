import ArgumentParser
import Foundation
import Pipeline
import RdKafka

struct ProduceSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce interaction events: seeded synthetic traffic, or a JSON Lines file.",
        discussion: "Records are keyed by creator_id with the event time as Kafka timestamp. Progress and a summary go to stderr."
    )

    @OptionGroup var connection: KafkaConnectionOptions
    @Option(help: "Topic to write.") var topic = "interactions"
    @Option(help: "Synthetic events to produce.") var count = 10_000
    @Option(help: "Synthetic event-time rate, events per second of event time.") var eventRate = 200
    @Option(help: "Wall-clock rate limit, events per second (0 = as fast as possible).") var rate = 0
    @Option(help: "Seed: the same seed gives the same events.") var seed: UInt64 = 42
    @Option(help: "Number of creators.") var creators = 50
    @Option(help: "Replay this JSON Lines file instead (key = creator_id).") var file: String?
    @Flag(help: "Print the synthetic events as JSON Lines on stdout instead of producing them.") var print = false

    func run() throws {
        if print {
            var traffic = SyntheticTraffic(settings: syntheticSettings())
            while let record = traffic.next() { StandardStreams.writeLine(record.value, to: .output) }
            return
        }
        ProcessSignals.blockTermination()
        let stop = StopFlag()
        ProcessSignals.onTermination(stop) {}
        var failures = 0
        let producer = try KafkaProducer(configuration: try connection.configuration()) { if $0.error != nil { failures += 1 } }
        let target = try producer.topic(topic)
        let started = ContinuousClock.now
        var sent = 0
        func send(key: String, value: String) throws {
            var key = key, value = value
            try key.withUTF8 { keyBytes in
                try value.withUTF8 { valueBytes in
                    _ = try producer.send(to: target, key: UnsafeRawBufferPointer(keyBytes), value: UnsafeRawBufferPointer(valueBytes))
                }
            }
            sent += 1
            if sent % 1000 == 0 { producer.poll() }
            if rate > 0 {
                let due = started + .milliseconds(sent * 1000 / rate)
                if due > ContinuousClock.now { Thread.sleep(forTimeInterval: (due - ContinuousClock.now) / .seconds(1)) }
            }
        }
        if let file {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in text.split(separator: "\n") where !stop.isSet {
                try send(key: Self.creatorID(in: line) ?? "", value: String(line))
            }
        } else {
            var traffic = SyntheticTraffic(settings: syntheticSettings())
            while !stop.isSet, let record = traffic.next() { try send(key: record.key, value: record.value) }
        }
        try producer.flush(timeout: .seconds(30))
        StandardStreams.writeLine("produced \(sent) events to \(topic), \(failures) failed", to: .error)
        if failures > 0 { throw ExitCode.failure }
    }

    private func syntheticSettings() -> SyntheticTraffic.Settings {
        var settings = SyntheticTraffic.Settings()
        settings.seed = seed
        settings.count = count
        settings.rate = eventRate
        settings.creators = creators
        return settings
    }

    /// The `creator_id` value of a JSON line, found without a full parse (the key only routes the record).
    static func creatorID(in line: Substring) -> String? {
        guard let range = line.range(of: #""creator_id":""#) else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
