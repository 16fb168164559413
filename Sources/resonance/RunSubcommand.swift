import ArgumentParser
import Foundation
import Logging
import Metrics
import Pipeline
import Prometheus
import Runtime
import ServiceLifecycle

struct RunSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline worker: one member of the pipeline's consumer group.",
        discussion: """
            Consumes the pipeline's source topic, writes window results, detector results and dead letters to \
            its sinks, and commits a batch's offsets only after the broker acknowledged everything derived from \
            it (at-least-once). Start several workers with the same group to share the partitions; state moves \
            with them through checkpoints on the state topic.

            SIGINT/SIGTERM: finish the batch, checkpoint, commit, leave the group and exit 0 within \
            --shutdown-deadline, else exit 1; a second signal exits at once with 128 + its number. \
            With --ops-port: GET /metrics (Prometheus text), /healthz (loop alive), /readyz (partitions assigned).

            Examples:
              resonance run Pipelines/engagement.yaml -b localhost:9092
              resonance run Pipelines/engagement.yaml --ops-port 9464 --log-format json
              RESONANCE_KAFKA_SASL_PASSWORD=… resonance run \\
                Pipelines/engagement.yaml -b kafka:9093 -X security.protocol=SASL_SSL \\
                -X sasl.mechanism=SCRAM-SHA-512 -X sasl.username=resonance
              resonance run Pipelines/demo.yaml -b 127.0.0.1:PORT \\
                -X session.timeout.ms=4000   (dev broker: partitions move quickly)

            Exit codes: 0 stopped by a signal (or at the end, with -e), 1 invalid pipeline file, fatal Kafka error or shutdown deadline \
            passed, 64 usage error.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions
    @OptionGroup var ops: OpsOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "Pipeline file (Pipelines/*.yaml).")
    var pipeline: String

    @Option(
        name: .customShort("g"),
        help: ArgumentHelp("Consumer group (default: the pipeline's source.group).", valueName: "group"))
    var group: String?

    @Option(
        help: ArgumentHelp(
            "Seconds a graceful shutdown may take before the worker exits with status 1.", valueName: "seconds"))
    var shutdownDeadline = 20

    @Flag(
        name: [.customShort("e"), .customLong("exit-at-end")],
        help: ArgumentHelp(
            "Stop once every partition assigned to this worker is read to its end: results acknowledged, checkpoints "
                + "written, offsets committed, exit 0 (a bounded run: a backfill, a benchmark). Windows still open stay in "
                + "the checkpoint for the next run."))
    var exitAtEnd = false

    func run() async throws {
        try logging.bootstrap()
        let spec = try PipelineFile.load(pipeline)
        var configuration = try connection.configuration()
        configuration.groupID = group ?? spec.group
        let logger = Logger(label: "resonance.run")
        let registry = PrometheusCollectorRegistry()
        let opsPort = try ops.port()
        if opsPort != nil { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        let worker = try Worker(spec: spec, configuration: configuration, logger: logger, exitsAtEnd: exitAtEnd)
        logger.info(
            "pipeline \(spec.name): \(spec.sourceTopic) → \(spec.sinks.aggregates), dead letters → \(spec.sinks.deadLetters)"
        )
        let settings = configuration.with(spec.kafka).redactedDescription(role: .consumer).map {
            "\($0.key)=\($0.value)"
        }
        logger.info("configuration: \(settings.joined(separator: " "))")

        let deadline = Duration.seconds(shutdownDeadline)
        let service = WorkerService(
            worker: worker, stopsAlsoWhen: { EarlyTermination.requested },
            onGracefulShutdown: { ShutdownEscalation.arm(deadline: deadline) })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let opsPort {
            let server: OpsServer
            do {
                server = try await OpsServer(host: ops.host, port: opsPort, registry: registry, health: worker.health)
            } catch {
                StandardStreams.writeLine(
                    "resonance run: cannot serve the ops endpoint on \(ops.host):\(opsPort): \(error)", to: .error)
                throw ExitCode.failure
            }
            logger.info(
                "ops endpoint: http://\(ops.host):\(server.localAddress?.port ?? opsPort)/metrics, /healthz, /readyz")
            services.append(.init(service: server))
        }
        // The worker is last: it starts after the ops endpoint and, on shutdown, is signalled first; when its loop
        // ends (shutdown or a fatal error) the whole group shuts down.
        services.append(
            .init(
                service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await ServiceGroup(configuration: group).run()
            StandardStreams.writeLine("resonance run: \(service.statistics)", to: .error)
        } catch {
            StandardStreams.writeLine("resonance run: \(error)", to: .error)
            throw ExitCode.failure
        }
    }
}
