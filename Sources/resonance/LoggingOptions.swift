import ArgumentParser
import Foundation
import Logging
import Runtime

/// `--log-level` and `--log-format`, shared by the long-running subcommands; diagnostics go to stderr.
struct LoggingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "trace, debug, info, notice, warning, error or critical (env: LOG_LEVEL, default: info).", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("text (for people) or json (one object per line, for log shippers).", valueName: "format"))
    var logFormat: String = "text"

    func validate() throws {
        _ = try level()
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format expects text or json, got '\(logFormat)'") }
    }

    private func level() throws -> Logger.Level {
        let text = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("log level expects one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return level
    }

    /// Routes every logger (librdkafka's lines included) through the chosen format and level.
    func bootstrap() throws {
        let level = try level()
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
