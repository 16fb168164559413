import Foundation

/// A minimal HTTP/1.1 GET over a plain socket, for probing a worker's ops endpoint from tests without pulling an
/// HTTP client into the test targets.
public enum HTTPProbe {
    /// One response: status code and body.
    public struct Response: Sendable {
        public var status: Int
        public var body: String
    }

    /// GETs `path` from `127.0.0.1:port` with `Connection: close` and reads until the server closes.
    /// - Throws: `POSIXError` when the connection fails; a malformed response yields status 0.
    public static func get(port: Int, path: String) throws -> Response {
        try request(port: port, path: path, method: "GET")
    }

    /// Sends a body-less `method` request for `path`, as `get` does.
    public static func request(port: Int, path: String, method: String) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { throw POSIXError(.EIO) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return Response(status: 0, body: text) }
        let statusLine = text[..<split.lowerBound].split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return Response(status: status, body: String(text[split.upperBound...]))
    }
}
