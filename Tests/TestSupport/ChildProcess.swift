import Foundation

/// A subprocess started by a test and ended by PID, with stdout and stderr captured to files that can be read while
/// it runs.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let stdoutURL: URL
    public let stderrURL: URL
    private let stdinPipe = Pipe()

    /// Starts `executable` with `arguments`.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resonance-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = stdinPipe
        try process.run()
    }

    deinit { kill(SIGKILL) }

    public var pid: Int32 { process.processIdentifier }

    /// Everything written to stdout so far.
    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    /// Everything written to stderr so far.
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    /// Complete stdout lines so far.
    public var stdoutLines: [String] {
        let text = stdout
        guard let end = text.lastIndex(of: "\n") else { return [] }
        return text[..<end].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Sends `signal` to the process if it still runs.
    public func kill(_ signal: Int32) {
        if process.isRunning { Foundation.kill(pid, signal) }
    }

    /// Closes the child's stdin.
    public func closeInput() { try? stdinPipe.fileHandleForWriting.close() }

    /// Waits for exit up to `timeout`; returns the exit status, or nil if it is still running.
    @discardableResult
    public func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}

/// The `resonance` binary built next to the test bundle (`make test` builds it first), or `$RESONANCE_BIN`.
public enum ResonanceBinary {
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["RESONANCE_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !directory.path.hasSuffix(".xctest") && directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("resonance").path) { break }
            directory = directory.deletingLastPathComponent()
        }
        if directory.path.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("resonance")
    }
}

/// Finds an executable on PATH (for kcat).
public func which(_ name: String) -> URL? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}
