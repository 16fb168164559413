#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#elseif canImport(Darwin)
    import Darwin
#endif

/// The dev broker's control channel: one text command per line over TCP on 127.0.0.1, one reply line each
/// (`ok` or `error <text>`). It lets other processes do what only the in-process mock API can: create topics,
/// take brokers down and up, add latency.
///
/// Commands: `create-topic NAME PARTITIONS`, `broker-down ID`, `broker-up ID`, `rtt ID MILLISECONDS`, `ping`.
public enum DevBrokerCommand: Equatable, Sendable {
    case createTopic(name: String, partitions: Int)
    case brokerDown(Int32)
    case brokerUp(Int32)
    case roundTripTime(broker: Int32, milliseconds: Int)
    case ping

    /// Parses one command line; nil when it is not a known, well-formed command.
    public init?(line: String) {
        let words = line.split(separator: " ").map(String.init)
        switch (words.first, words.count) {
        case ("create-topic", 3):
            guard let count = Int(words[2]) else { return nil }
            self = .createTopic(name: words[1], partitions: count)
        case ("broker-down", 2):
            guard let id = Int32(words[1]) else { return nil }
            self = .brokerDown(id)
        case ("broker-up", 2):
            guard let id = Int32(words[1]) else { return nil }
            self = .brokerUp(id)
        case ("rtt", 3):
            guard let id = Int32(words[1]), let ms = Int(words[2]) else { return nil }
            self = .roundTripTime(broker: id, milliseconds: ms)
        case ("ping", 1): self = .ping
        default: return nil
        }
    }

    /// The command's wire form, without the newline.
    public var line: String {
        switch self {
        case .createTopic(let name, let partitions): "create-topic \(name) \(partitions)"
        case .brokerDown(let id): "broker-down \(id)"
        case .brokerUp(let id): "broker-up \(id)"
        case .roundTripTime(let id, let ms): "rtt \(id) \(ms)"
        case .ping: "ping"
        }
    }

    /// Carries the command out on `cluster`.
    public func apply(to cluster: MockCluster) throws(KafkaError) {
        switch self {
        case .createTopic(let name, let partitions): try cluster.createTopic(name, partitions: partitions)
        case .brokerDown(let id): try cluster.setBrokerDown(id)
        case .brokerUp(let id): try cluster.setBrokerUp(id)
        case .roundTripTime(let id, let ms): try cluster.setRoundTripTime(broker: id, milliseconds: ms)
        case .ping: break
        }
    }
}

/// Sends commands to a dev broker's control channel.
public struct DevBrokerControlClient: Sendable {
    /// `127.0.0.1:PORT` as printed by `resonance dev-broker`.
    public let address: String

    /// Creates a client for `address`.
    public init(address: String) { self.address = address }

    /// Creates a topic on the dev broker.
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) {
        try send(.createTopic(name: name, partitions: partitions))
    }

    /// Sends one command and waits for its reply.
    /// - Throws: `KafkaError` `.devBrokerControl` when the connection fails or the broker answers with an error.
    public func send(_ command: DevBrokerCommand) throws(KafkaError) {
        let reply = try LineSocket.connect(to: address).exchange(command.line)
        guard reply == "ok" else {
            throw KafkaError(code: .devBrokerControl, message: "\(command.line): \(reply)")
        }
    }
}
