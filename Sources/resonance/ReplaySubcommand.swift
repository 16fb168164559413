import ArgumentParser
import Engagement
import Foundation
import Pipeline

struct ReplaySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the engagement job over a JSON Lines file without Kafka: results on stdout, rejections on stderr.",
        discussion: "Runs the job of --pipeline (Pipelines/*.yaml) or, without one, the default engagement pipeline's. Use - to read stdin."
    )

    @Argument(help: "Events, one JSON object per line (- for stdin).")
    var file: String

    @Option(help: "Pipeline file whose job to run; without one, the default engagement pipeline's settings.")
    var pipeline: String?

    @Option(help: "Source partitions to split the events over by creator_id, as librdkafka's default partitioner does (one job per partition, like the workers).")
    var partitions = 1


    func run() throws {
        let data = try InputFile.data(file)
        guard partitions >= 1 else { throw ValidationError("--partitions must be ≥ 1") }
        var replay = Replay(settings: try settings(), partitions: partitions)
        let summary = data.withUnsafeBytes { bytes in
            replay.run(bytes, results: { StandardStreams.write($0, to: .output) }, rejections: { StandardStreams.write($0, to: .error) })
        }
        StandardStreams.writeLine("replayed \(summary.lines) lines: \(summary.windows) windows, \(summary.signals) detector results, \(summary.rejected) rejected, \(summary.late) late", to: .error)
    }

    private func settings() throws -> EngagementJob.Settings {
        guard let pipeline else {
            return .engagementDefaults
        }
        return try PipelineFile.load(pipeline).job
    }
}
