import CRdKafka
import Logging

/// A Kafka producer: batched, idempotent by default, with per-message delivery reports.
///
/// Thread rule: one owner thread calls `send`, `poll` and `flush`; the delivery handler runs on that thread, inside
/// those calls. `send` copies key, value and headers, so the caller's buffers may be reused at once.
public final class KafkaProducer: @unchecked Sendable {
    private let client: RDKafkaClient
    private var topics: [String: KafkaTopic] = [:]
    private var nextMessageID: UInt64 = 1

    /// Creates a producer.
    /// - Parameters:
    ///   - configuration: connection and tuning; `idempotentProducer` is on unless turned off.
    ///   - logger: receives librdkafka's log lines and errors.
    ///   - onDelivery: called once per message with its result, on the thread calling `send`, `poll` or `flush`.
    /// - Throws: `KafkaError` with `.invalidConfiguration` or `.clientCreation`.
    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "resonance.kafka.producer"),
        onDelivery: ((KafkaDeliveryReport) -> Void)? = nil
    ) throws(KafkaError) {
        let context = RDKafkaClientContext(logger: logger)
        context.onDelivery = onDelivery
        client = try RDKafkaClient(configuration: configuration, role: .producer, context: context) { conf in
            RDKafkaCallbacks.installDelivery(on: conf)
        }
    }

    deinit {
        for topic in topics.values { rd_kafka_topic_destroy(topic.handle) }
    }

    /// A handle for `name`, created once and cached for the producer's lifetime.
    public func topic(_ name: String) throws(KafkaError) -> KafkaTopic {
        if let topic = topics[name] { return topic }
        guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
            throw KafkaError(rd_kafka_last_error(), "topic \(name)")
        }
        let topic = KafkaTopic(name: name, handle: handle)
        topics[name] = topic
        return topic
    }

    /// Enqueues one message and returns its identifier, which its delivery report will carry.
    ///
    /// When the local queue is full this serves delivery reports and retries until there is room, so a fast
    /// caller is slowed to the broker's pace instead of failing.
    /// - Parameters:
    ///   - partition: an explicit partition, or nil to let the partitioner choose from the key.
    ///   - key: key bytes, nil for a null key.
    ///   - value: value bytes, nil for a null value (tombstone).
    ///   - headers: headers to attach.
    ///   - timestamp: CreateTime in epoch milliseconds, nil for "now".
    /// - Throws: `KafkaError` for an unknown partition, an oversize message or a fatal client state.
    @discardableResult
    public func send(
        to topic: KafkaTopic,
        partition: Int32? = nil,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader] = [],
        timestamp: Int64? = nil
    ) throws(KafkaError) -> UInt64 {
        let id = nextMessageID
        nextMessageID &+= 1
        while true {
            let nativeHeaders = headers.isEmpty ? nil : Self.makeHeaders(headers)
            let err = resonance_produce(
                client.handle, topic.handle, partition ?? RD_KAFKA_PARTITION_UA,
                key?.baseAddress, key?.count ?? 0, value?.baseAddress, value?.count ?? 0,
                nativeHeaders, timestamp ?? 0, UnsafeMutableRawPointer(bitPattern: UInt(id))
            )
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { return id }
            if let nativeHeaders { rd_kafka_headers_destroy(nativeHeaders) }
            guard err == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                if let fatal = client.fatalError() { throw fatal }
                throw KafkaError(err, "produce to \(topic.name)")
            }
            rd_kafka_poll(client.handle, 10)
        }
    }

    /// Serves delivery reports (and error callbacks) waiting for at most `timeout`; returns how many events ran.
    @discardableResult
    public func poll(timeout: Duration = .zero) -> Int {
        Int(rd_kafka_poll(client.handle, timeout.milliseconds))
    }

    /// Waits until every enqueued message is delivered or failed, serving delivery reports.
    /// - Throws: `KafkaError` `.timedOut` when messages are still outstanding after `timeout`.
    public func flush(timeout: Duration) throws(KafkaError) {
        let err = rd_kafka_flush(client.handle, timeout.milliseconds)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(err, "flush: \(outstandingCount) messages still outstanding")
        }
    }

    /// The identifier of the last message `send` enqueued (0 before the first); identifiers are sequential.
    public var lastMessageID: UInt64 { nextMessageID &- 1 }

    /// Messages enqueued or in flight whose delivery report has not been served yet.
    public var outstandingCount: Int { Int(rd_kafka_outq_len(client.handle)) }

    /// The fatal error raised on this producer, if any (an idempotent producer must then be recreated).
    public var fatalError: KafkaError? { client.fatalError() }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }
}

extension KafkaProducer {
    /// Enqueues a message with byte-array key and value; see `send(to:partition:key:value:headers:timestamp:)`.
    @discardableResult
    public func send(
        topic name: String,
        partition: Int32? = nil,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestamp: Int64? = nil
    ) throws(KafkaError) -> UInt64 {
        let topic = try topic(name)
        return try Self.withOptionalBytes(key) { (keyBytes) throws(KafkaError) in
            try Self.withOptionalBytes(value) { (valueBytes) throws(KafkaError) in
                try send(
                    to: topic, partition: partition, key: keyBytes, value: valueBytes, headers: headers,
                    timestamp: timestamp)
            }
        }
    }

    private static func withOptionalBytes<R>(
        _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(KafkaError) -> R
    ) throws(KafkaError) -> R {
        guard let bytes else { return try body(nil) }
        // An empty array may have no storage; give librdkafka a non-null pointer so empty stays distinct from null.
        if bytes.isEmpty {
            return try withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) { (buffer) throws(KafkaError) in
                try body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: 0))
            }
        }
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(KafkaError) in try body(buffer) } }
        return try result.get()
    }
}

/// A topic handle owned by a producer; valid for the producer's lifetime.
public struct KafkaTopic: @unchecked Sendable {
    /// The topic name.
    public let name: String
    let handle: OpaquePointer
}

extension Duration {
    /// Whole milliseconds, clamped to `Int32` as librdkafka timeouts are.
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: total)
    }
}
