import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 listener on swift-nio with an event loop of its own, for the small servers of the CLI (the worker's
/// ops endpoint, the dashboard): each connection gets NIO's HTTP server pipeline and a fresh handler.
public final class HTTPListener: Sendable {
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// The address actually bound (the port is the kernel's choice when 0 was asked for).
    public var localAddress: SocketAddress? { channel.localAddress }

    /// Binds `host:port` and starts accepting connections, each served by the handler `makeHandler` returns.
    /// - Throws: NIO's error when the address cannot be bound (port taken, unknown host).
    public init(host: String, port: Int, makeHandler: @escaping @Sendable () -> any ChannelHandler) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(makeHandler())
                    }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Closes the listener and every open connection.
    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
