import Foundation

/// A `resonance dev-broker` child process for benchmarks, ended by PID.
final class BenchBroker {
    private let process = Process()
    let bootstrapServers: String

    init(executable: String, topics: [String]) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["dev-broker", "--no-default-topics"] + topics.flatMap { ["--topic", $0] }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("KAFKA_BOOTSTRAP_SERVERS=") else {
            process.terminate()
            throw BenchError("dev-broker did not print its address")
        }
        bootstrapServers = String(line.dropFirst("KAFKA_BOOTSTRAP_SERVERS=".count))
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A benchmark that could not run as asked.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
