import ArgumentParser
import Engagement
import Foundation
import Pipeline

struct ReplaySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the engagement job over a JSON Lines file without Kafka: results on stdout, rejections on stderr.",
        discussion: "Until pipeline files land, the window job is set with flags; the defaults are the engagement pipeline's (60s hopping 10s, grace 5s). Use - to read stdin."
    )

    @Argument(help: "Events, one JSON object per line (- for stdin).")
    var file: String

    @Option(help: "Window kind: hopping (tumbling when --advance equals --window), sliding or session.") var windows = "hopping"
    @Option(help: "Hopping window size, sliding windows' max time difference, or the session gap (ms, s, m, h, d).") var window = "60s"
    @Option(help: "Hopping window advance; equal to --window for tumbling windows.") var advance = "10s"
    @Option(help: "Grace after a window's end.") var grace = "5s"
    @Option(help: "Activity horizon for returning users (hopping windows), or none.") var activityHorizon = "7d"
    @Option(help: "Distinct users: exact, or approximate (HyperLogLog past 4,096 per slice).") var distinctUsers = "exact"
    @Option(help: "Stream time closing windows: partition or key.") var streamTime = "key"
    @Option(help: "Unknown kinds: reject (dead letter) or ignore (advance stream time only).") var unknownKinds = "reject"
    @Option(help: "Emission: onClose (final results) or onUpdate (every change).") var emit = "onClose"

    func validate() throws { _ = try settings() }

    func run() throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            StandardStreams.writeLine("resonance replay: cannot read \(file): \(error.localizedDescription)", to: .error)
            throw ExitCode.failure
        }
        var replay = Replay(settings: try settings())
        let summary = data.withUnsafeBytes { bytes in
            replay.run(bytes, results: { StandardStreams.write($0, to: .output) }, rejections: { StandardStreams.write($0, to: .error) })
        }
        StandardStreams.writeLine("replayed \(summary.lines) lines: \(summary.windows) windows, \(summary.rejected) rejected, \(summary.late) late", to: .error)
    }

    private func settings() throws -> EngagementJob.Settings {
        func duration(_ flag: String, _ text: String) throws -> Int64 {
            guard let value = DurationText.milliseconds(text) else {
                throw ValidationError("--\(flag) expects a duration like 500ms, 30s, 10m, 14d; got '\(text)'")
            }
            return value
        }
        let size = try duration("window", window), graceTime = try duration("grace", grace)
        let spec: WindowSpec
        switch windows {
        case "hopping":
            guard let hopping = HoppingWindows(size: size, advance: try duration("advance", advance), grace: graceTime) else {
                throw ValidationError("--window must be a positive multiple of --advance")
            }
            spec = .hopping(hopping)
        case "sliding":
            guard let sliding = SlidingWindows(maxDifference: size, grace: graceTime) else { throw ValidationError("--window must be positive") }
            spec = .sliding(sliding)
        case "session":
            guard let session = SessionWindows(gap: size, grace: graceTime) else { throw ValidationError("--window must be positive") }
            spec = .session(session)
        default:
            throw ValidationError("--windows expects hopping, sliding or session, got '\(windows)'")
        }
        var settings = EngagementJob.Settings(windows: spec)
        settings.activityHorizon = activityHorizon == "none" ? nil : try duration("activity-horizon", activityHorizon)
        guard let mode = DistinctUsersMode(rawValue: distinctUsers) else {
            throw ValidationError("--distinct-users expects exact or approximate, got '\(distinctUsers)'")
        }
        settings.distinctUsers = mode
        guard let scope = StreamTimeScope(rawValue: streamTime) else { throw ValidationError("--stream-time expects partition or key, got '\(streamTime)'") }
        guard let policy = EngagementJob.UnknownKindPolicy(rawValue: unknownKinds) else { throw ValidationError("--unknown-kinds expects reject or ignore, got '\(unknownKinds)'") }
        guard let emission = WindowEmission(rawValue: emit) else { throw ValidationError("--emit expects onClose or onUpdate, got '\(emit)'") }
        settings.emission = emission
        settings.streamTime = scope
        settings.unknownKinds = policy
        return settings
    }
}
