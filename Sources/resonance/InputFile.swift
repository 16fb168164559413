import ArgumentParser
import Foundation

/// Reading input files named on the command line: `-` is stdin, `*.gz` is decompressed with `gzip -dc`; errors
/// name the file and exit 1.
enum InputFile {
    static func data(_ path: String) throws -> Data {
        do {
            if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
            if path.hasSuffix(".gz") { return try gunzip(path) }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            StandardStreams.writeLine("resonance: cannot read \(path): \(error.localizedDescription)", to: .error)
            throw ExitCode.failure
        }
    }

    static func text(_ path: String) throws -> String { String(decoding: try data(path), as: UTF8.self) }

    private static func gunzip(_ path: String) throws -> Data {
        guard FileManager.default.isReadableFile(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return data
    }
}
