import ArgumentParser
import Dashboard
import Foundation
import Logging
import Pipeline

struct DashboardSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a live community dashboard in the browser, read from the result topics.",
        discussion: """
            Reads the result topics (no consumer group, nothing committed) from --look-back before the start and \
            serves one page: creators ranked by engaged community next to their rank by followers, a live feed of \
            spikes and follower drift, and a chart per creator (engagement with spikes shaded, dormant share on a \
            second axis). The page is updated by server-sent events, at most once a second. Prints the page's URL \
            on stdout.

            Memory is bounded: --max-creators creators are tracked; a new creator past the cap evicts the one whose \
            newest result is oldest in event time (it comes back with its next result). Each keeps two days of event \
            time; the feed keeps the newest 200 alerts.

            SIGINT/SIGTERM: closes the server and the consumer, exit 0.

            Examples:
              resonance dashboard -b 127.0.0.1:PORT          (then open http://127.0.0.1:8787/)
              resonance dashboard --port 0 --look-back 1d     (port 0: a free port, printed)
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: ArgumentHelp("Port to serve on; 0 picks a free one (default: 8787).", valueName: "port"))
    var port = 8787

    @Option(
        help: ArgumentHelp(
            "Address to bind; 0.0.0.0 exposes the dashboard beyond this host (default: 127.0.0.1).",
            valueName: "address"))
    var bind = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "How far back (by broker time) reading starts, e.g. 30m, 6h, 2d (default: 1d).", valueName: "duration"))
    var lookBack = "1d"

    @Option(help: ArgumentHelp("The most creators tracked at once (default: 2000).", valueName: "N"))
    var maxCreators = 2_000

    @Option(parsing: .upToNextOption, help: "Result topics to read.")
    var topics = ["engagement-aggregates", "community-spikes", "follower-health", "follower-drift"]

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port expects 0–65535, got \(port)") }
        guard DurationText.milliseconds(lookBack) != nil else {
            throw ValidationError("--look-back expects a duration such as 30m, 6h or 2d, got '\(lookBack)'")
        }
        guard maxCreators >= 1 else { throw ValidationError("--max-creators expects a count ≥ 1, got \(maxCreators)") }
    }

    func run() async throws {
        ProcessSignals.trapTermination()
        var limits = CommunityBoard.Limits()
        limits.maxCreators = maxCreators
        let state = DashboardState(limits: limits)
        let server: DashboardServer
        do {
            server = try await DashboardServer(host: bind, port: port, state: state)
        } catch {
            StandardStreams.writeLine("resonance dashboard: cannot serve on \(bind):\(port): \(error)", to: .error)
            throw ExitCode.failure
        }
        StandardStreams.writeLine("dashboard: http://\(bind):\(server.localAddress?.port ?? port)/", to: .output)
        let feed = ResultFeed(
            topics: topics, lookBack: .milliseconds(DurationText.milliseconds(lookBack) ?? 0),
            configuration: try connection.configuration(), state: state, logger: Logger(label: "resonance.dashboard"))
        let stop = StopFlag()
        let feedDone = DispatchSemaphore(value: 0)
        Thread {
            feed.run { stop.isSet }
            feedDone.signal()
        }.start()
        await withCheckedContinuation { (resumed: CheckedContinuation<Void, Never>) in
            ProcessSignals.onTermination(stop) { resumed.resume() }
        }
        await server.stop()
        feedDone.wait()
    }
}
