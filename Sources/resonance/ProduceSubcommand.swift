import ArgumentParser
import Foundation
import Pipeline
import RdKafka

struct ProduceSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce interaction events: seeded synthetic traffic, a JSON Lines file, or a public dataset.",
        discussion: """
            Records are keyed by creator_id with the event time as Kafka timestamp. Progress and a summary go to stderr.
            --format higgs reads SNAP Higgs activity (userB → creator, userA → user, RT → share, MT → mention,
            RE → reply); --format collegemsg reads SNAP CollegeMsg as one community creator that every member follows
            with their first message. Files ending in .gz are decompressed with gzip.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions
    @Option(help: "Topic to write.") var topic = "interactions"
    @Option(help: "Synthetic events to produce.") var count = 10_000
    @Option(help: "Synthetic event-time rate, events per second of event time.") var eventRate = 200
    @Option(help: "Wall-clock rate limit, events per second (0 = as fast as possible).") var rate = 0
    @Option(help: "Seed: the same seed gives the same events.") var seed: UInt64 = 42
    @Option(help: "Number of creators.") var creators = 50
    @Option(help: "Replay this file instead (key = creator_id); - reads stdin.") var file: String?
    @Option(help: "Format of --file: jsonl (events), higgs or collegemsg.") var format: FileFormat = .jsonl
    @Option(help: "Pace a file by its event times, this many times faster than real time (0 = as fast as possible).")
    var speedup: Double = 0
    @Flag(help: "Print the events as JSON Lines on stdout instead of producing them.") var print = false

    enum FileFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl, higgs, collegemsg
    }

    func validate() throws {
        guard speedup >= 0, speedup.isFinite else { throw ValidationError("--speedup must be ≥ 0") }
        if format != .jsonl && file == nil { throw ValidationError("--format \(format.rawValue) needs --file") }
    }

    func run() throws {
        if print {
            try forEachRecord(stop: StopFlag()) { StandardStreams.writeLine($0.value, to: .output) }
            return
        }
        ProcessSignals.blockTermination()
        let stop = StopFlag()
        ProcessSignals.onTermination(stop) {}
        var failures = 0
        let producer = try KafkaProducer(configuration: try connection.configuration()) { if $0.error != nil { failures += 1 } }
        let target = try producer.topic(topic)
        let started = ContinuousClock.now
        var firstEventTime: Int64?
        var sent = 0
        try forEachRecord(stop: stop) { record in
            var key = record.key, value = record.value
            try key.withUTF8 { keyBytes in
                try value.withUTF8 { valueBytes in
                    _ = try producer.send(to: target, key: UnsafeRawBufferPointer(keyBytes), value: UnsafeRawBufferPointer(valueBytes),
                                          timestamp: record.timestamp > 0 ? record.timestamp : nil)
                }
            }
            sent += 1
            if sent % 1000 == 0 { producer.poll() }
            var due: ContinuousClock.Instant?
            if rate > 0 { due = started + .milliseconds(sent * 1000 / rate) }
            if speedup > 0 {
                let first = firstEventTime ?? record.timestamp
                firstEventTime = first
                due = started + .milliseconds(Int64(Double(record.timestamp - first) / speedup))
            }
            if let due, due > ContinuousClock.now { Thread.sleep(forTimeInterval: (due - ContinuousClock.now) / .seconds(1)) }
        }
        try producer.flush(timeout: .seconds(30))
        StandardStreams.writeLine("produced \(sent) events to \(topic), \(failures) failed", to: .error)
        if failures > 0 { throw ExitCode.failure }
    }

    /// Calls `body` with every record to produce, in order, until `stop` is set.
    private func forEachRecord(stop: StopFlag, _ body: (SyntheticTraffic.Record) throws -> Void) throws {
        guard let file else {
            var traffic = SyntheticTraffic(settings: syntheticSettings())
            while !stop.isSet, let record = traffic.next() { try body(record) }
            return
        }
        let text = try InputFile.text(file)
        var converter = PublicDatasetFormat(rawValue: format.rawValue).map { PublicDatasetFormat.Converter(format: $0) }
        for line in text.split(separator: "\n") where !stop.isSet {
            if converter == nil {
                try body(SyntheticTraffic.Record(key: Self.creatorID(in: line) ?? "", value: String(line), timestamp: Self.eventTime(in: line)))
            } else if let records = converter?.convert(line) {
                for record in records { try body(record) }
            }
        }
    }

    private func syntheticSettings() -> SyntheticTraffic.Settings {
        var settings = SyntheticTraffic.Settings()
        settings.seed = seed
        settings.count = count
        settings.rate = eventRate
        settings.creators = creators
        return settings
    }

    /// The integer `ts` of a JSON line (0 when absent or not epoch milliseconds), found without a full parse.
    static func eventTime(in line: Substring) -> Int64 {
        guard let range = line.range(of: #""ts":"#) else { return 0 }
        return Int64(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    /// The `creator_id` value of a JSON line, found without a full parse (the key only routes the record).
    static func creatorID(in line: Substring) -> String? {
        guard let range = line.range(of: #""creator_id":""#) else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
