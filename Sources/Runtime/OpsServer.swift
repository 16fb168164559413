import NIOCore
import NIOHTTP1
import Prometheus
import ServiceLifecycle

/// The worker's ops endpoint, a small HTTP/1.1 server on swift-nio: `GET /metrics` (Prometheus text format 0.0.4),
/// `GET /healthz` (the loop is alive) and `GET /readyz` (alive and partitions assigned). Anything else is 404.
///
/// Bind with `start` before the service group runs, so a taken port fails the command at once with a clear error;
/// `run` then serves until graceful shutdown.
public final class OpsServer: Service, Sendable {
    private let listener: HTTPListener

    /// The address actually bound (the port is the kernel's choice when 0 was asked for).
    public var localAddress: SocketAddress? { listener.localAddress }

    /// Binds `host:port` and starts accepting connections.
    /// - Throws: NIO's error when the address cannot be bound (port taken, unknown host).
    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, health: WorkerHealth) async throws {
        listener = try await HTTPListener(host: host, port: port) {
            OpsRequestHandler(registry: registry, health: health)
        }
    }

    /// Serves until graceful shutdown, then closes the listener and its event loop.
    public func run() async throws {
        try await gracefulShutdown()
        await listener.close()
    }
}

/// Answers one request per call on the ops endpoint; the routes are fixed and small, so no router.
final class OpsRequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let health: WorkerHealth

    init(registry: PrometheusCollectorRegistry, health: WorkerHealth) {
        self.registry = registry
        self.health = health
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let (status, contentType, body) = response(method: request.method, path: request.uri)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    private func response(method: HTTPMethod, path: String) -> (HTTPResponseStatus, String, [UInt8]) {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        guard method == .GET || method == .HEAD else {
            return (.methodNotAllowed, "text/plain", Array("GET only\n".utf8))
        }
        switch route {
        case "/metrics":
            var body: [UInt8] = []
            registry.emit(into: &body)
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", Self.withHelp(body))
        case "/healthz":
            return verdict(health.liveness())
        case "/readyz":
            return verdict(health.readiness())
        default:
            return (.notFound, "text/plain", Array("not found: try /metrics, /healthz, /readyz\n".utf8))
        }
    }

    /// The exposition with a `# HELP` line before each family's `# TYPE` line, from the worker's metric catalogue
    /// (swift-metrics has no help text, so the registry writes none).
    static func withHelp(_ exposition: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(exposition.count + 4096)
        for line in exposition.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: typePrefix) {
                let name = line.dropFirst(typePrefix.count).prefix { $0 != UInt8(ascii: " ") }
                if let help = help[String(decoding: name, as: UTF8.self)] {
                    output.append(contentsOf: "# HELP \(String(decoding: name, as: UTF8.self)) \(help)\n".utf8)
                }
            }
            output.append(contentsOf: line)
            output.append(UInt8(ascii: "\n"))
        }
        output.removeLast()  // the split re-adds the final newline
        return output
    }

    private static let typePrefix = Array("# TYPE ".utf8)
    private static let help = Dictionary(uniqueKeysWithValues: WorkerMetrics.catalogue.map { ($0.name, $0.help) })

    private func verdict(_ verdict: WorkerHealth.Verdict) -> (HTTPResponseStatus, String, [UInt8]) {
        (verdict.passes ? .ok : .serviceUnavailable, "text/plain", Array("\(verdict.reason)\n".utf8))
    }
}
