import Foundation
import NIOCore
import NIOHTTP1
import Runtime

/// The dashboard's HTTP/1.1 server on swift-nio. Serves only GET:
/// - `/` the page, `/app.js` and `/app.css` its script and style (all compiled into the binary, no CDN);
/// - `/api/overview` the leaderboard, the alert feed and the feed's status as JSON;
/// - `/api/creator?id=ID` one creator's figures, spikes and drifts as JSON;
/// - `/chart.svg?id=ID` the creator's chart, as `resonance report` draws it;
/// - `/events[?creator=ID]` server-sent events: `overview` (and `creator`) whenever they changed, checked once a
///   second, so a view gets at most one update per second; a comment every 15 s keeps proxies from closing it.
///
/// Every response forbids inline and foreign scripts (Content-Security-Policy); the page renders creator ids and
/// every other string from the topics as text, never as markup.
public final class DashboardServer: Sendable {
    private let listener: HTTPListener

    /// The address actually bound (the port is the kernel's choice when 0 was asked for).
    public var localAddress: SocketAddress? { listener.localAddress }

    /// Binds `host:port` and starts serving `state`.
    /// - Throws: NIO's error when the address cannot be bound.
    public init(host: String, port: Int, state: DashboardState) async throws {
        listener = try await HTTPListener(host: host, port: port) { DashboardRequestHandler(state: state) }
    }

    /// Closes the listener and every open connection, event streams included.
    public func stop() async { await listener.close() }
}

/// Answers the dashboard's requests on one connection; an event stream keeps the connection for itself.
final class DashboardRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: DashboardState
    /// The event stream's timer, when this connection is one (touched only on the channel's event loop).
    private var stream: RepeatedTask?

    init(state: DashboardState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data), stream == nil else { return }
        guard request.method == .GET else {
            return respond(
                context, request, .methodNotAllowed, "text/plain", Array("GET only\n".utf8), ["Allow": "GET"])
        }
        let url = URLComponents(string: request.uri)
        let query = { (name: String) in url?.queryItems?.first { $0.name == name }?.value }
        switch url?.path ?? "" {
        case "/", "/index.html":
            respond(context, request, .ok, "text/html; charset=utf-8", Array(DashboardPage.html.utf8))
        case "/app.js":
            respond(context, request, .ok, "text/javascript; charset=utf-8", Array(DashboardPage.script.utf8))
        case "/app.css":
            respond(context, request, .ok, "text/css; charset=utf-8", Array(DashboardPage.style.utf8))
        case "/api/overview":
            respond(context, request, .ok, "application/json", state.overviewJSON())
        case "/api/creator":
            guard let id = query("id") else { return badRequest(context, request) }
            respond(context, request, .ok, "application/json", state.creatorJSON(id))
        case "/chart.svg":
            guard let id = query("id") else { return badRequest(context, request) }
            guard let svg = state.chart(id) else {
                return respond(context, request, .notFound, "text/plain", Array("nothing to draw yet\n".utf8))
            }
            respond(context, request, .ok, "image/svg+xml", Array(svg.utf8))
        case "/events":
            startStream(context, request, creator: query("creator"))
        default:
            respond(context, request, .notFound, "text/plain", Array("not found\n".utf8))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream?.cancel()
        stream = nil
        context.fireChannelInactive()
    }

    private func badRequest(_ context: ChannelHandlerContext, _ request: HTTPRequestHead) {
        respond(context, request, .badRequest, "text/plain", Array("missing ?id=\n".utf8))
    }

    private func respond(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ type: String,
        _ body: [UInt8], _ extra: [String: String] = [:]
    ) {
        var headers = Self.headers(type)
        headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in extra { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }

    /// Sends the current views at once, then again each second in which they changed.
    private func startStream(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, creator: String?) {
        var headers = Self.headers("text/event-stream; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-cache")
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))),
            promise: nil)
        var sent: (overview: DashboardState.Version, creator: DashboardState.Version?)? = nil
        var quiet = 0
        let state = self.state
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        stream = context.value.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .seconds(1)) {
            [weak self] _ in
            guard let self else { return }
            let versions = (overview: state.version, creator: creator.map { state.version(of: $0) })
            var events = ""
            if sent?.overview != versions.overview {
                events += Self.event("overview", state.overviewJSON())
            }
            if let creator, sent?.creator != versions.creator {
                events += Self.event("creator", state.creatorJSON(creator))
            }
            sent = versions
            quiet = events.isEmpty ? quiet + 1 : 0
            if quiet >= 15 {
                events = ": still here\n\n"
                quiet = 0
            }
            guard !events.isEmpty else { return }
            context.value.writeAndFlush(
                self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: events)))), promise: nil)
        }
    }

    /// One server-sent event; JSON from `JSONSerialization` holds no raw newline, so one `data:` line suffices.
    private static func event(_ name: String, _ json: [UInt8]) -> String {
        "event: \(name)\ndata: \(String(decoding: json, as: UTF8.self))\n\n"
    }

    private static func headers(_ type: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; object-src 'none'"
        )
        return headers
    }
}
