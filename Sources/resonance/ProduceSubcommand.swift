import ArgumentParser
import Foundation
import Pipeline
import RdKafka

struct ProduceSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce interaction events: seeded synthetic traffic, a JSON Lines file, or a public dataset.",
        discussion: """
            Records are keyed by creator_id with the event time as Kafka timestamp (the time of sending for events dated after it). Progress and a summary go to stderr.
            --format higgs reads SNAP Higgs activity (userB → creator, userA → user, RT → share, MT → mention,
            RE → reply); --format collegemsg reads SNAP CollegeMsg as one community creator that every member follows
            with their first message. Files ending in .gz are decompressed with gzip.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions
    @Option(help: "Topic to write.") var topic = "interactions"
    @Option(help: "Stop after this many events (0 = no limit).") var count = 0
    @Option(help: "Stop after this much wall-clock time, e.g. 60s (default: no limit).") var duration: String?
    @Option(help: "Synthetic traffic: interactions per second of event time over all creators.") var eventRate = 1.0
    @Option(help: "Synthetic traffic: how much event time to simulate, e.g. 60d.") var span = "60d"
    @Option(help: "Synthetic traffic: creators (Zipf-popular).") var creators = 50
    @Option(help: "Synthetic traffic: followers over all creators at the start.") var followers = 2000
    @Option(help: "Synthetic traffic: scenario to inject (viral-post, giveaway, collab, dormancy, mix).") var scenario:
        String?
    @Option(help: "Synthetic traffic: share of creators that get the scenario.") var affectedShare = 0.3
    @Option(help: "Synthetic traffic: earliest injection after the start, e.g. 1d.") var injectAfter = "1d"
    @Option(help: "Synthetic traffic: the pipeline's dormant_after, which drift scenarios are laid out for.")
    var dormantAfter = "30d"
    @Option(help: "Seed: the same seed gives the same events.") var seed: UInt64 = 42
    @Option(help: "Wall-clock rate limit, events per second (0 = as fast as possible).") var rate = 0
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
        guard eventRate > 0, eventRate.isFinite else { throw ValidationError("--event-rate must be > 0") }
        guard count >= 0, rate >= 0, creators >= 1, followers >= 0 else {
            throw ValidationError("--count, --rate and --followers must be ≥ 0, --creators ≥ 1")
        }
        for (flag, text) in [("--span", span), ("--inject-after", injectAfter), ("--dormant-after", dormantAfter)]
            + (duration.map { [("--duration", $0)] } ?? [])
        where DurationText.milliseconds(text) == nil {
            throw ValidationError("\(flag): expected a duration like 500ms, 30s, 10m, 2h or 14d, got '\(text)'")
        }
        if let scenario, SocialTraffic.Scenario(rawValue: scenario) == nil {
            throw ValidationError(
                "--scenario: expected one of \(SocialTraffic.Scenario.allCases.map(\.rawValue).joined(separator: ", ")), got '\(scenario)'"
            )
        }
        if format != .jsonl && file == nil { throw ValidationError("--format \(format.rawValue) needs --file") }
    }

    func run() throws {
        let stop = StopFlag()
        if print {
            try forEachRecord(stop: stop) { StandardStreams.writeLine($0.value, to: .output) }
            return
        }
        ProcessSignals.trapTermination()
        ProcessSignals.onTermination(stop) {}
        var failures = 0
        let producer = try KafkaProducer(configuration: try connection.configuration()) {
            if $0.error != nil { failures += 1 }
        }
        let target = try producer.topic(topic)
        let started = ContinuousClock.now
        let deadline = duration.flatMap(DurationText.milliseconds).map { started + .milliseconds($0) }
        var lastProgress = started
        var firstEventTime: Int64?
        var lastEventTime: Int64 = 0
        var sent = 0
        try forEachRecord(stop: stop) { record in
            var key = record.key
            var value = record.value
            try key.withUTF8 { keyBytes in
                try value.withUTF8 { valueBytes in
                    _ = try producer.send(
                        to: target, key: UnsafeRawBufferPointer(keyBytes), value: UnsafeRawBufferPointer(valueBytes),
                        timestamp: Self.createTime(record.timestamp))
                }
            }
            sent += 1
            lastEventTime = record.timestamp
            let first = firstEventTime ?? record.timestamp
            firstEventTime = first
            if sent % 1000 == 0 {
                producer.poll()
                if let deadline, ContinuousClock.now >= deadline { stop.set() }
                if ContinuousClock.now - lastProgress >= .seconds(5) {
                    lastProgress = ContinuousClock.now
                    StandardStreams.writeLine(
                        "produced \(sent) events, event time \(Self.describe(record.timestamp))", to: .error)
                }
            }
            var due: ContinuousClock.Instant?
            if rate > 0 { due = started + .milliseconds(sent * 1000 / rate) }
            if speedup > 0 { due = started + .milliseconds(Int64(Double(record.timestamp - first) / speedup)) }
            if let due, due > ContinuousClock.now {
                Thread.sleep(forTimeInterval: (due - ContinuousClock.now) / .seconds(1))
            }
        }
        try producer.flush(timeout: .seconds(30))
        let span = firstEventTime.map { " spanning \(Self.describe($0)) … \(Self.describe(lastEventTime))" } ?? ""
        StandardStreams.writeLine(
            "produced \(sent) events to \(topic)\(span) in \(ContinuousClock.now - started), \(failures) failed",
            to: .error)
        if failures > 0 { throw ExitCode.failure }
    }

    /// Calls `body` with every record to produce, in order, until `stop` is set or `--count` is reached.
    private func forEachRecord(stop: StopFlag, _ body: (TrafficRecord) throws -> Void) throws {
        var remaining = count > 0 ? count : Int.max
        func emit(_ record: TrafficRecord) throws {
            try body(record)
            remaining -= 1
            if remaining == 0 { stop.set() }
        }
        guard let file else {
            var traffic = SocialTraffic(settings: trafficSettings())
            for injection in traffic.injections {
                StandardStreams.writeLine(
                    "scenario \(injection.scenario.rawValue) for \(injection.creator) from \(Self.describe(injection.start))"
                        + (injection.driftFrom.map { ", dormant share can rise from \(Self.describe($0))" } ?? ""),
                    to: .error)
            }
            while !stop.isSet, let record = traffic.next() { try emit(record) }
            return
        }
        let text = try InputFile.text(file)
        var converter = PublicDatasetFormat(rawValue: format.rawValue).map { PublicDatasetFormat.Converter(format: $0) }
        for line in text.split(separator: "\n") where !stop.isSet {
            if converter == nil {
                try emit(
                    TrafficRecord(
                        key: Self.creatorID(in: line) ?? "", value: String(line), timestamp: Self.eventTime(in: line)))
            } else if let records = converter?.convert(line) {
                for record in records where !stop.isSet { try emit(record) }
            }
        }
    }

    private func trafficSettings() -> SocialTraffic.Settings {
        var settings = SocialTraffic.Settings()
        settings.seed = seed
        settings.creators = creators
        settings.eventsPerSecond = eventRate
        settings.followers = followers
        settings.duration = DurationText.milliseconds(span) ?? settings.duration
        settings.scenario = scenario.flatMap(SocialTraffic.Scenario.init(rawValue:))
        settings.affectedShare = affectedShare
        settings.earliestInjection = DurationText.milliseconds(injectAfter) ?? settings.earliestInjection
        settings.dormantAfter = DurationText.milliseconds(dormantAfter) ?? settings.dormantAfter
        return settings
    }

    /// An event time as UTC text.
    static func describe(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(time) / 1000))
    }

    /// The integer `ts` of a JSON line (0 when absent or not epoch milliseconds), found without a full parse.
    static func eventTime(in line: Substring) -> Int64 {
        guard let range = line.range(of: #""ts":"#) else { return 0 }
        return Int64(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    /// The `creator_id` value of a JSON line, found without a full parse (the key only routes the record).
    /// The Kafka create time for an event of `eventTime`: the event time, so that replays of history keep it, unless
    /// it is missing or in the future, where the time of sending (nil) lets workers see the event as implausible.
    static func createTime(_ eventTime: Int64) -> Int64? {
        eventTime > 0 && Double(eventTime) <= Date().timeIntervalSince1970 * 1000 ? eventTime : nil
    }

    static func creatorID(in line: Substring) -> String? {
        guard let range = line.range(of: #""creator_id":""#) else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
