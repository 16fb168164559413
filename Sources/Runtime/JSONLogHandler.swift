import Foundation
import Logging

/// Writes one JSON object per log line to stderr (`--log-format json`): `ts`, `level`, `label`, `message`, then
/// the metadata as string fields — what log shippers parse without a grammar.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String

    /// Creates a handler for `label` at `level`.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = Array(#"{"ts":""#.utf8)
        JSONStringEscaper.append(Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)), to: &line)
        line.append(contentsOf: Array(#"","level":""#.utf8))
        JSONStringEscaper.append(event.level.rawValue, to: &line)
        line.append(contentsOf: Array(#"","label":""#.utf8))
        JSONStringEscaper.append(label, to: &line)
        line.append(contentsOf: Array(#"","message":""#.utf8))
        JSONStringEscaper.append(event.message.description, to: &line)
        line.append(UInt8(ascii: "\""))
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.append(contentsOf: Array(#",""#.utf8))
            JSONStringEscaper.append(key, to: &line)
            line.append(contentsOf: Array(#"":""#.utf8))
            JSONStringEscaper.append(value.description, to: &line)
            line.append(UInt8(ascii: "\""))
        }
        line.append(contentsOf: Array("}\n".utf8))
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
