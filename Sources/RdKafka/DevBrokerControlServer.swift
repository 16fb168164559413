import Foundation

#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves `DevBrokerCommand`s for one mock cluster on 127.0.0.1, on a thread of its own, one client at a time.
public final class DevBrokerControlServer: @unchecked Sendable {
    private let listener: Int32
    private let cluster: MockCluster
    /// `127.0.0.1:PORT` clients connect to.
    public let address: String

    /// Binds a random port on 127.0.0.1 and starts serving.
    public init(cluster: MockCluster) throws(KafkaError) {
        self.cluster = cluster
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KafkaError(code: .devBrokerControl, message: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_addr.s_addr = inet_addr("127.0.0.1")
        socketAddress.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw KafkaError(code: .devBrokerControl, message: "bind/listen on 127.0.0.1: errno \(errno)")
        }
        listener = fd
        address = "127.0.0.1:\(UInt16(bigEndian: socketAddress.sin_port))"
        let thread = Thread { [self] in self.serve() }
        thread.name = "dev-broker-control"
        thread.start()
    }

    /// Stops accepting connections.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let connection = LineSocket(descriptor: fd)
            while let line = connection.readLine() {
                let reply: String
                if let command = DevBrokerCommand(line: line) {
                    do {
                        try command.apply(to: cluster)
                        reply = "ok"
                    } catch { reply = "error \(error)" }
                } else {
                    reply = "error unknown command: \(line)"
                }
                guard (try? connection.write(reply)) != nil else { break }
            }
        }
    }
}
