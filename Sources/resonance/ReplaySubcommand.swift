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

    @Option(help: "Window size (ms, s, m, h, d).") var window = "60s"
    @Option(help: "Window advance; equal to --window for tumbling windows.") var advance = "10s"
    @Option(help: "Grace after a window's end.") var grace = "5s"
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
        guard let windows = HoppingWindows(size: try duration("window", window), advance: try duration("advance", advance), grace: try duration("grace", grace)) else {
            throw ValidationError("--window must be a positive multiple of --advance")
        }
        var settings = EngagementJob.Settings(windows: windows)
        guard let scope = StreamTimeScope(rawValue: streamTime) else { throw ValidationError("--stream-time expects partition or key, got '\(streamTime)'") }
        guard let policy = EngagementJob.UnknownKindPolicy(rawValue: unknownKinds) else { throw ValidationError("--unknown-kinds expects reject or ignore, got '\(unknownKinds)'") }
        guard let emission = WindowEmission(rawValue: emit) else { throw ValidationError("--emit expects onClose or onUpdate, got '\(emit)'") }
        settings.emission = emission
        settings.streamTime = scope
        settings.unknownKinds = policy
        return settings
    }
}
