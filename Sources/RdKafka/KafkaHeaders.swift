import CRdKafka

/// A read-only view of a consumed record's headers; valid as long as the record is.
public struct KafkaHeaders: Sequence {
    let list: OpaquePointer?

    /// The number of headers.
    public var count: Int { list.map { Int(rd_kafka_header_cnt($0)) } ?? 0 }

    /// The value of the last header named `name`, or nil when absent; a header with a null value gives an empty
    /// buffer.
    public func value(named name: String) -> UnsafeRawBufferPointer? {
        guard let list else { return nil }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(list, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return UnsafeRawBufferPointer(start: value, count: value == nil ? 0 : size)
    }

    public func makeIterator() -> Iterator { Iterator(list: list, index: 0) }

    /// Iterates headers in wire order.
    public struct Iterator: IteratorProtocol {
        let list: OpaquePointer?
        var index: Int

        public mutating func next() -> KafkaHeaderView? {
            guard let list else { return nil }
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                let name
            else { return nil }
            index += 1
            return KafkaHeaderView(
                namePointer: name,
                value: value.map { UnsafeRawBufferPointer(start: $0, count: size) }
            )
        }
    }
}

/// One consumed header: a name and an optional value, both borrowed from librdkafka.
public struct KafkaHeaderView {
    let namePointer: UnsafePointer<CChar>
    /// The header value, or nil for a null value.
    public let value: UnsafeRawBufferPointer?
    /// The header name.
    public var name: String { String(cString: namePointer) }
}

/// A header to produce. Values are owned bytes; headers are for metadata, not for the hot path's payload.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name.
    public var name: String
    /// The header value, or nil for a null value.
    public var value: [UInt8]?

    /// Creates a header with raw bytes.
    public init(_ name: String, _ value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header with a UTF-8 text value.
    public init(_ name: String, _ text: String) {
        self.init(name, Array(text.utf8))
    }
}
