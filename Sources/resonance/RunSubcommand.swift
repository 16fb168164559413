import ArgumentParser
import Foundation
import Logging
import Pipeline
import Runtime

struct RunSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline worker: one member of the pipeline's consumer group.",
        discussion: """
            Consumes the pipeline's source topic, writes window results and dead letters to its sinks, and commits
            a batch's offsets only after the broker acknowledged everything derived from it (at-least-once).
            Start several workers with the same group to share the partitions. SIGINT/SIGTERM: finish the batch,
            checkpoint, commit, leave the group, exit 0 — within --shutdown-deadline, else exit 1; a second signal
            exits at once. Against the dev broker use -X session.timeout.ms=4000 (see README).
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "Pipeline file (Pipelines/*.yaml).")
    var pipeline: String

    @Option(name: .customShort("g"), help: "Consumer group (default: the pipeline's source.group).")
    var group: String?

    @Option(help: "Seconds a graceful shutdown may take before the worker exits with status 1; a second signal exits at once.")
    var shutdownDeadline = 20

    func run() throws {
        ProcessSignals.blockTermination()
        try logging.bootstrap()
        let spec = try PipelineFile.load(pipeline)
        var configuration = try connection.configuration()
        configuration.groupID = group ?? spec.group
        let stop = StopFlag()
        let logger = Logger(label: "resonance.run")
        let worker = try Worker(spec: spec, configuration: configuration, logger: logger)
        ProcessSignals.onTermination(stop, deadline: .seconds(shutdownDeadline)) {}
        logger.info("pipeline \(spec.name): \(spec.sourceTopic) → \(spec.sinks.aggregates), dead letters → \(spec.sinks.deadLetters)")
        let settings = configuration.with(spec.kafka).redactedDescription(role: .consumer).map { "\($0.key)=\($0.value)" }
        logger.info("configuration: \(settings.joined(separator: " "))")
        do {
            try worker.run { stop.isSet }
            StandardStreams.writeLine("resonance run: \(worker.statistics)", to: .error)
        } catch {
            StandardStreams.writeLine("resonance run: \(error)", to: .error)
            throw ExitCode.failure
        }
    }
}
