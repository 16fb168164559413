#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking TCP connection on 127.0.0.1 that exchanges newline-terminated text lines.
final class LineSocket {
    let descriptor: Int32
    private var pending: [UInt8] = []

    init(descriptor: Int32) { self.descriptor = descriptor }
    deinit { close(descriptor) }

    /// Connects to `host:port` (IPv4 loopback addresses only; this is a local development channel).
    static func connect(to address: String) throws(KafkaError) -> LineSocket {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else {
            throw KafkaError(code: .devBrokerControl, message: "control address must be host:port, got \(address)")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KafkaError(code: .devBrokerControl, message: "socket: errno \(errno)") }
        let connection = LineSocket(descriptor: fd)
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, String(parts[0]), &socketAddress.sin_addr) == 1 else {
            throw KafkaError(code: .devBrokerControl, message: "not an IPv4 address: \(parts[0])")
        }
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            throw KafkaError(code: .devBrokerControl, message: "connect \(address): errno \(errno)")
        }
        return connection
    }

    /// Writes `line` and a newline, then reads one reply line.
    func exchange(_ line: String) throws(KafkaError) -> String {
        try write(line)
        guard let reply = readLine() else {
            throw KafkaError(code: .devBrokerControl, message: "connection closed before a reply to \(line)")
        }
        return reply
    }

    func write(_ line: String) throws(KafkaError) {
        let bytes = Array((line + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw KafkaError(code: .devBrokerControl, message: "send: errno \(errno)") }
            sent += n
        }
    }

    /// The next line without its newline, or nil at end of stream.
    func readLine() -> String? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            pending.append(contentsOf: chunk[..<n])
        }
    }
}
