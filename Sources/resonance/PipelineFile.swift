import ArgumentParser
import Foundation
import Pipeline

/// Reads and validates a pipeline file for a subcommand: prints every problem to stderr and exits 1 on any.
enum PipelineFile {
    static func load(_ path: String) throws -> PipelineSpec {
        switch read(path) {
        case .success(let spec): return spec
        case .failure(let errors):
            StandardStreams.writeLine(errors.description, to: .error)
            throw ExitCode.failure
        }
    }

    static func read(_ path: String) -> Result<PipelineSpec, PipelineErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(PipelineErrors(diagnostics: [
                PipelineDiagnostic(file: path, line: 0, column: 0, path: "", message: "cannot read the file")
            ]))
        }
        return PipelineLoader.parse(String(decoding: data, as: UTF8.self), file: path)
    }
}

struct ValidateSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files: every problem with file, line, column, YAML path and what was expected.",
        discussion: "Exit 0 when every file is valid, 1 when any has a problem."
    )

    @Argument(help: "Pipeline files (Pipelines/*.yaml).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            switch PipelineFile.read(file) {
            case .success(let spec):
                StandardStreams.writeLine("\(file): ok (pipeline \(spec.name), source \(spec.sourceTopic))", to: .output)
            case .failure(let errors):
                failed = true
                StandardStreams.writeLine(errors.description, to: .error)
            }
        }
        if failed { throw ExitCode.failure }
    }
}
