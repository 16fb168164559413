import Foundation

/// Unbuffered writes to stdout and stderr (the C `stdout` global is unavailable under strict concurrency).
enum StandardStreams {
    enum Stream {
        case output, error
        var descriptor: Int32 { self == .output ? 1 : 2 }
    }

    /// Writes `line` and a newline in one system call.
    static func writeLine(_ line: String, to stream: Stream) {
        write(Array((line + "\n").utf8), to: stream)
    }

    /// Writes all of `bytes`, retrying short writes.
    static func write(_ bytes: [UInt8], to stream: Stream) {
        bytes.withUnsafeBytes { write($0, to: stream) }
    }

    /// Writes all of `buffer`, retrying short writes; gives up silently when the reader is gone.
    static func write(_ buffer: UnsafeRawBufferPointer, to stream: Stream) {
        var offset = 0
        while offset < buffer.count {
            let n = Foundation.write(stream.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
