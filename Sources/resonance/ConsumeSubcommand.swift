import ArgumentParser
import Foundation
import Logging
import RdKafka
import Runtime

struct ConsumeSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print records of topics: JSON Lines on stdout, diagnostics and a summary on stderr.",
        discussion: """
            Without -g, reads every partition from -o and commits nothing. With -g, joins the group, reads from \
            the committed offsets (or -o where none), and commits what it has written after each batch. Ctrl-C \
            prints a summary.

            Examples:
              resonance consume engagement-aggregates -o end --format table
              resonance consume community-spikes follower-drift -e > alerts.jsonl
              resonance consume interactions-dlq --format envelope -c 10
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Argument(help: "Topics to read.")
    var topics: [String]

    @Option(name: .customShort("o"), help: ArgumentHelp("Start: beginning, end, or an absolute offset (without -g).", valueName: "beginning|end|N"))
    var offset = "beginning"

    @Option(name: .customShort("c"), help: ArgumentHelp("Exit after this many records (default: no limit).", valueName: "count"))
    var count: Int?

    @Flag(name: .customShort("e"), help: "Exit when every assigned partition is at its end.")
    var exitAtEnd = false

    @Option(name: .customShort("g"), help: ArgumentHelp("Consumer group to join; commits offsets (default: none).", valueName: "group"))
    var group: String?

    @Option(help: ArgumentHelp(
        "json (record values as JSON Lines), envelope (topic, partition, offset, ts, key, headers, value) or table (a readable live view).",
        valueName: "json|envelope|table"))
    var format: String = "json"

    func validate() throws {
        guard RecordFormat(rawValue: format) != nil else {
            throw ValidationError("--format expects one of \(RecordFormat.allCases.map(\.rawValue)), got '\(format)'")
        }
        _ = try start()
        if let count, count < 1 { throw ValidationError("-c expects a count ≥ 1, got \(count)") }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        ProcessSignals.trapTermination()
        var options = TopicTail.Options(topics: topics)
        options.group = group
        options.start = try start()
        options.maxRecords = count
        options.exitAtEnd = exitAtEnd
        options.format = RecordFormat(rawValue: format) ?? .json
        let stop = StopFlag()
        ProcessSignals.onTermination(stop) {}
        let tail = TopicTail(options: options, configuration: try connection.configuration(), logger: Logger(label: "resonance.consume"))
        do {
            let summary = try tail.run(shouldStop: { stop.isSet }) { StandardStreams.write($0, to: .output) }
            StandardStreams.writeLine("consumed \(summary.records) records, \(summary.errors) errors", to: .error)
        } catch {
            StandardStreams.writeLine("resonance consume: \(error)", to: .error)
            throw ExitCode.failure
        }
    }

    private func start() throws -> TopicTail.Start {
        switch offset {
        case "beginning": return .beginning
        case "end": return .end
        default:
            guard let value = Int64(offset), value >= 0 else {
                throw ValidationError("-o expects beginning, end or an offset ≥ 0, got '\(offset)'")
            }
            return .offset(value)
        }
    }
}
