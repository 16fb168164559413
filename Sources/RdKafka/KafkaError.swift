import CRdKafka

/// The one error type of the `RdKafka` module.
///
/// `code` is an extensible, human-named classification; `rdKafkaCode` is librdkafka's own numeric code
/// (`rd_kafka_resp_err_t`) when the error came from librdkafka, so callers can match on either.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is, independent of librdkafka's numbering.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name of the code.
        public let name: String
        /// Creates a code with the given name.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A librdkafka error that has no more specific code here; see `rdKafkaCode`.
        public static let underlying = Code("underlying")
        /// A configuration property was unknown or had an invalid value.
        public static let invalidConfiguration = Code("invalid_configuration")
        /// A client handle could not be created.
        public static let clientCreation = Code("client_creation")
        /// The local producer queue is full; poll for delivery reports and retry.
        public static let queueFull = Code("queue_full")
        /// A timeout expired before the operation completed.
        public static let timedOut = Code("timed_out")
        /// The broker does not implement the request (the librdkafka mock cluster has no CreateTopics).
        public static let unsupportedFeature = Code("unsupported_feature")
        /// A message could not be delivered.
        public static let deliveryFailed = Code("delivery_failed")
        /// The dev-broker control channel failed or refused a command.
        public static let devBrokerControl = Code("dev_broker_control")
        /// An argument given by the caller was invalid.
        public static let invalidArgument = Code("invalid_argument")
    }

    /// The classification of this error.
    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t` value, or 0 when the error did not come from librdkafka.
    public var rdKafkaCode: Int32
    /// A human-readable explanation.
    public var message: String
    /// The client instance is unusable and must be recreated (or the process restarted).
    public var isFatal: Bool
    /// Retrying the same operation may succeed.
    public var isRetriable: Bool

    /// Creates an error.
    public init(code: Code, message: String, rdKafkaCode: Int32 = 0, isFatal: Bool = false, isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.rdKafkaCode = rdKafkaCode
        self.isFatal = isFatal
        self.isRetriable = isRetriable
    }

    /// librdkafka's symbolic name of `rdKafkaCode` (for example `_MSG_TIMED_OUT`), or nil.
    public var rdKafkaName: String? {
        rdKafkaCode == 0 ? nil : String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rdKafkaCode)))
    }

    public var description: String {
        if let name = rdKafkaName { return "\(code) (\(name)): \(message)" }
        return "\(code): \(message)"
    }
}

extension KafkaError {
    /// Wraps a librdkafka response code; `detail` is prefixed to librdkafka's own text.
    init(_ err: rd_kafka_resp_err_t, _ detail: String? = nil, isFatal: Bool = false) {
        let text = String(cString: rd_kafka_err2str(err))
        self.init(
            code: Self.code(for: err),
            message: detail.map { "\($0): \(text)" } ?? text,
            rdKafkaCode: err.rawValue,
            isFatal: isFatal || err == RD_KAFKA_RESP_ERR__FATAL,
            isRetriable: Self.isRetriable(err)
        )
    }

    /// Wraps and destroys an `rd_kafka_error_t` object.
    init(consuming error: OpaquePointer, _ detail: String? = nil) {
        defer { rd_kafka_error_destroy(error) }
        let err = rd_kafka_error_code(error)
        let text = String(cString: rd_kafka_error_string(error))
        self.init(
            code: Self.code(for: err),
            message: detail.map { "\($0): \(text)" } ?? text,
            rdKafkaCode: err.rawValue,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || Self.isRetriable(err)
        )
    }

    static func code(for err: rd_kafka_resp_err_t) -> Code {
        switch err {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL: .queueFull
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            .timedOut
        case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE, RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION: .unsupportedFeature
        case RD_KAFKA_RESP_ERR__INVALID_ARG: .invalidArgument
        default: .underlying
        }
    }

    static func isRetriable(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR, RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
            RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
            true
        default:
            false
        }
    }
}

extension KafkaError {
    /// `_ALL_BROKERS_DOWN` or `_TRANSPORT`: the client lost its brokers; librdkafka keeps reconnecting.
    public var isBrokerDown: Bool {
        rdKafkaCode == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue
            || rdKafkaCode == RD_KAFKA_RESP_ERR__TRANSPORT.rawValue
    }
}

extension KafkaError {
    /// ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, `_STATE`, `_ASSIGNMENT_LOST`: a commit raced a
    /// group rebalance. Not a failure of the client: what was not committed is committed with a later batch, or
    /// re-read by the partition's next owner.
    public var isRebalanceRace: Bool {
        switch rd_kafka_resp_err_t(rdKafkaCode) {
        case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION, RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
            RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR__STATE, RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST:
            true
        default:
            false
        }
    }
}
