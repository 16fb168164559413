import CRdKafka
import Logging

/// Owns one `rd_kafka_t` and the Swift context its C callbacks reach through `rd_kafka_opaque`.
///
/// Thread safety: librdkafka handles are thread-safe, but the callbacks stored in `context` run on whichever thread
/// calls poll, consume, flush or close; the owning `Kafka…` type documents which thread that must be.
/// Teardown order: the owner finishes its protocol (consumer close, producer flush), then this object destroys the
/// handle, and only after that releases the context the callbacks used.
final class RDKafkaClient: @unchecked Sendable {
    let handle: OpaquePointer
    let context: RDKafkaClientContext
    private let retainedContext: Unmanaged<RDKafkaClientContext>

    /// Creates a client of the given role with the context's callbacks registered.
    init(
        configuration: KafkaConfiguration,
        role: KafkaClientRole,
        context: RDKafkaClientContext,
        extra: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let conf = try configuration.makeNative(role: role)
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        RDKafkaCallbacks.install(on: conf)
        extra(conf)
        var errstr = [CChar](repeating: 0, count: 512)
        let type = role == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            retained.release()
            let message = String(cBuffer: errstr)
            throw KafkaError(code: .clientCreation, message: message)
        }
        self.handle = handle
        self.context = context
        self.retainedContext = retained
    }

    deinit {
        rd_kafka_destroy(handle)
        retainedContext.release()
    }

    /// The fatal error raised on this client, if any.
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let message = String(cBuffer: errstr)
        return KafkaError(err, message, isFatal: true)
    }
}

/// Swift state reached from librdkafka's C callbacks.
///
/// `logger` and `onError` may run on librdkafka's internal threads; the delivery, rebalance and statistics handlers
/// run only on the thread that polls the client, which owns them.
final class RDKafkaClientContext: @unchecked Sendable {
    let logger: Logger
    var onDelivery: ((KafkaDeliveryReport) -> Void)?
    var onRebalance: ((OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void)?
    var onStatistics: ((UnsafeRawBufferPointer) -> Void)?

    init(logger: Logger) {
        self.logger = logger
    }
}

/// The C callbacks; written as non-isolated closures outside `main.swift` so they may run on any thread.
enum RDKafkaCallbacks {
    static func context(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaClientContext? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    static func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, buffer in
            guard let rk, let context = RDKafkaCallbacks.context(rd_kafka_opaque(rk)) else { return }
            let facilityText = facility.map { String(cString: $0) } ?? "?"
            let text = buffer.map { String(cString: $0) } ?? ""
            context.logger.log(
                level: KafkaLogLevel.swiftLogLevel(syslog: level),
                "\(text)",
                metadata: ["rdkafka.facility": "\(facilityText)"]
            )
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, opaque in
            guard let context = RDKafkaCallbacks.context(opaque) else { return }
            let fatal = err == RD_KAFKA_RESP_ERR__FATAL.rawValue
            let text = reason.map { String(cString: $0) } ?? ""
            context.logger.log(
                level: fatal ? .critical : .warning,
                "librdkafka error: \(text)",
                metadata: ["rdkafka.error": "\(String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(err))))"]
            )
        }
    }

    static func installDelivery(on conf: OpaquePointer) {
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let context = RDKafkaCallbacks.context(opaque), let handler = context.onDelivery else {
                return
            }
            handler(KafkaDeliveryReport(message.pointee))
        }
    }

    static func installStatistics(on conf: OpaquePointer) {
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            if let json, let context = RDKafkaCallbacks.context(opaque), let handler = context.onStatistics {
                handler(UnsafeRawBufferPointer(start: json, count: length))
            }
            return 0  // librdkafka frees the JSON
        }
    }

    static func installRebalance(on conf: OpaquePointer) {
        rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
            guard let rk, let partitions, let context = RDKafkaCallbacks.context(opaque),
                let handler = context.onRebalance
            else { return }
            handler(rk, err, partitions)
        }
    }
}

/// Maps librdkafka's syslog levels onto swift-log's.
enum KafkaLogLevel {
    static func swiftLogLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
