/// One problem in a pipeline file: where it is and what was expected.
public struct PipelineDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as given.
    public var file: String
    /// 1-based line, or 0 when the problem is the file as a whole.
    public var line: Int
    /// 1-based column, or 0.
    public var column: Int
    /// The YAML path (`window.grace`), or empty for the document.
    public var path: String
    /// What was wrong and what was expected.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `FILE:LINE:COLUMN: PATH: MESSAGE`, the format compilers use, so editors can jump to it.
    public var description: String {
        let location = line > 0 ? "\(file):\(line):\(column)" : file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Every problem found in one pipeline file.
public struct PipelineErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var diagnostics: [PipelineDiagnostic]

    /// Creates the error for `diagnostics`.
    public init(diagnostics: [PipelineDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
