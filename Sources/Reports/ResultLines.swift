import Foundation

/// Result records as JSON Lines (the worker's topics read back, `resonance replay` or `resonance consume` output).
public enum ResultLines {
    /// Calls `body` with each non-empty line of the UTF-8 `bytes` that starts like a JSON object, without its newline.
    /// - Returns: how many lines `body` accepted (returned true for).
    @discardableResult
    public static func forEachObjectLine(in bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Bool)
        -> Int
    {
        guard let base = bytes.baseAddress else { return 0 }
        var accepted = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let newline = memchr(base + lineStart, 0x0A, bytes.count - lineStart)
            let lineEnd = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            if lineEnd > lineStart, bytes[lineStart] == UInt8(ascii: "{"),
                body(UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart))
            {
                accepted += 1
            }
            lineStart = lineEnd + 1
        }
        return accepted
    }

    /// The line decoded as a JSON object, nil if it is not one.
    public static func object(_ line: UnsafeRawBufferPointer) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
    }
}
