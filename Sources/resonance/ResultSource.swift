import Foundation
import Logging
import Runtime

/// Where `report` and `community` read result records: the JSON Lines files given with `--input` (`-` is stdin),
/// else the result topics from the beginning to their current end.
enum ResultSource {
    /// Calls `lines` with runs of whole JSON Lines until the input or the topics are exhausted.
    static func read(
        input: [String], topics: [String], connection: KafkaConnectionOptions, label: String,
        lines: (UnsafeRawBufferPointer) -> Void
    ) throws {
        guard input.isEmpty else {
            for file in input { try InputFile.data(file).withUnsafeBytes(lines) }
            return
        }
        var options = TopicTail.Options(topics: topics)
        options.exitAtEnd = true
        let tail = TopicTail(
            options: options, configuration: try connection.configuration(), logger: Logger(label: label))
        var pending: [UInt8] = []
        let never = { false }
        _ = try tail.run(shouldStop: never) { bytes in
            pending.append(contentsOf: bytes)
            guard let lastNewline = pending.lastIndex(of: 0x0A) else { return }
            pending[...lastNewline].withUnsafeBytes(lines)
            pending.removeSubrange(...lastNewline)
        }
    }
}
