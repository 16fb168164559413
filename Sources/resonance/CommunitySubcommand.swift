import ArgumentParser
import Foundation
import Reports

struct CommunitySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "community",
        abstract:
            "Rank creators by their engaged community (followers who engaged in 30 days), next to their rank by followers.",
        discussion: """
            Reads the latest follower-health record of each creator from the follower-health topic (from the \
            beginning to its current end) or from result files written by `resonance replay` / `resonance consume` \
            (--input, repeatable), and prints a table: rank by engaged community, rank by followers, followers, \
            engaged followers over 7 and 30 days, the 30-day figure's change since the previous report, the engaged \
            share and the dormant share of the followers.

            Examples:
              resonance community -b localhost:9092 --top 10
              resonance replay events.jsonl --pipeline Pipelines/demo.yaml > results.jsonl
              resonance community --input results.jsonl
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: ArgumentHelp("How many creators to print (default: 20).", valueName: "N"))
    var top = 20

    @Option(
        help: ArgumentHelp(
            "Result records as JSON Lines (repeatable; - for stdin) instead of the topic.", valueName: "file"))
    var input: [String] = []

    @Option(parsing: .upToNextOption, help: "Topics holding follower-health records, read when no --input is given.")
    var topics = ["follower-health"]

    func validate() throws {
        if top < 1 { throw ValidationError("--top expects a count ≥ 1, got \(top)") }
    }

    func run() throws {
        var ranking = CommunityRanking()
        try ResultSource.read(input: input, topics: topics, connection: connection, label: "resonance.community") {
            ranking.add(lines: $0)
        }
        guard ranking.count > 0 else {
            StandardStreams.writeLine(
                "resonance community: no follower_health records (is the pipeline's followers detector on?)", to: .error
            )
            throw ExitCode.failure
        }
        StandardStreams.writeLine(CommunityRanking.table(ranking.ranked(top: top)), to: .output)
    }
}
