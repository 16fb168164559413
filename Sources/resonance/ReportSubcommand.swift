import ArgumentParser
import Engagement
import Foundation
import Reports
import Runtime

struct ReportSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw one creator's story as an SVG chart: engagement over time, spikes shaded, dormant share of followers.",
        discussion: """
            Reads the result topics (engagement-aggregates, community-spikes, follower-health, follower-drift) from
            the beginning to their current end, or result files written by `resonance replay` / `resonance consume`
            (--input, repeatable). Open the SVG in any browser; for a PNG: rsvg-convert -o chart.png chart.svg.

            Examples:
              resonance report --creator c7 -b localhost:9092 --from 2024-11-28T00:00:00Z --output c7.svg
              resonance replay events.jsonl --pipeline Pipelines/demo.yaml > results.jsonl
              resonance report --creator c7 --input results.jsonl
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "The creator_id to draw.")
    var creator: String

    @Option(help: ArgumentHelp("Start of the chart: RFC 3339 time or epoch milliseconds. Default: the first record.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the chart (exclusive), like --from. Default: the last record.", valueName: "time"))
    var to: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("SVG file to write. Default: <creator>.svg.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Result records as JSON Lines (repeatable; - for stdin) instead of the topics.", valueName: "file"))
    var input: [String] = []

    @Option(parsing: .upToNextOption, help: "Result topics to read when no --input is given.")
    var topics = ["engagement-aggregates", "community-spikes", "follower-health", "follower-drift"]

    func validate() throws {
        _ = try time(from, "--from")
        _ = try time(to, "--to")
        if let output, !output.lowercased().hasSuffix(".svg") {
            throw ValidationError("--output writes SVG and expects a .svg file, got '\(output)' (for a PNG: rsvg-convert -o chart.png chart.svg)")
        }
    }

    func run() throws {
        var story = CreatorStory(creator: creator, from: try time(from, "--from"), to: try time(to, "--to"))
        try ResultSource.read(input: input, topics: topics, connection: connection, label: "resonance.report") {
            story.add(lines: $0)
        }
        guard let svg = EngagementChart().svg(story) else {
            StandardStreams.writeLine("resonance report: no records of creator '\(creator)' in range", to: .error)
            throw ExitCode.failure
        }
        let path = output ?? "\(creator).svg"
        try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
        StandardStreams.writeLine("resonance report: wrote \(path): \(story.windows.count) windows, \(story.spikes.count) spikes, \(story.health.count) health reports, \(story.drifts.count) drift alerts", to: .error)
    }

    private func time(_ text: String?, _ flag: String) throws -> Int64? {
        guard let text else { return nil }
        if let milliseconds = Int64(text) { return milliseconds }
        guard let milliseconds = RFC3339.milliseconds(text) else {
            throw ValidationError("\(flag) expects an RFC 3339 time (2012-07-04T00:00:00Z) or epoch milliseconds, got '\(text)'")
        }
        return milliseconds
    }
}
