import Logging
import RdKafka
import Reports

/// Reads topics and hands formatted records to a writer: the engine of `resonance consume`.
///
/// With a group it joins it and commits, after each batch is written, the offsets of exactly what was written;
/// without one it reads every partition from `start` and commits nothing.
public struct TopicTail {
    /// Where reading starts.
    public enum Start: Sendable, Equatable {
        case beginning, end
        case offset(Int64)
    }

    /// What to read and how to print it.
    public struct Options: Sendable {
        public var topics: [String]
        public var group: String?
        public var start: Start = .beginning
        public var maxRecords: Int?
        public var exitAtEnd = false
        public var format: RecordFormat = .json

        /// Creates options for `topics`.
        public init(topics: [String]) { self.topics = topics }
    }

    /// What a finished tail did.
    public struct Summary: Sendable {
        /// Records written.
        public var records = 0
        /// Entries that reported errors other than partition EOF.
        public var errors = 0
    }

    let options: Options
    let configuration: KafkaConfiguration
    let logger: Logger

    /// Creates a tail.
    public init(options: Options, configuration: KafkaConfiguration, logger: Logger) {
        self.options = options
        self.configuration = configuration
        self.logger = logger
    }

    /// Reads until `shouldStop` says so, `maxRecords` are written or (with `exitAtEnd`) every partition is at its end.
    /// - Parameter write: receives each batch's formatted bytes; offsets are committed after it returns.
    public func run(shouldStop: () -> Bool, write: (UnsafeRawBufferPointer) -> Void) throws -> Summary {
        let partitions = options.group == nil ? try allPartitions() : []
        var configuration = configuration
        configuration.groupID = options.group
        if case .end = options.start { configuration.autoOffsetReset = "latest" }
        if options.exitAtEnd { configuration.properties["enable.partition.eof"] = "true" }
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var owned = Set(partitions.map(Self.bare))
        var atEnd = Set<KafkaTopicPartition>()
        consumer.onRebalance = { [logger] event in
            logger.info("rebalance: \(event)")
            switch event {
            case .assigned(let partitions): for p in partitions { owned.insert(Self.bare(p)) }
            case .revoked(let partitions), .lost(let partitions):
                for p in partitions { owned.remove(Self.bare(p)); atEnd.remove(Self.bare(p)) }
            }
        }
        if options.group != nil {
            try consumer.subscribe(options.topics)
        } else {
            try consumer.assign(partitions)
        }
        var summary = Summary()
        var output: [UInt8] = []
        output.reserveCapacity(1 << 20)
        var table = RecordTable()
        while !shouldStop() {
            if let fatal = consumer.fatalError { throw fatal }
            let done = try consumer.consumeBatch(timeout: .milliseconds(100)) { batch throws -> Bool in
                output.removeAll(keepingCapacity: true)
                var last: [KafkaTopicPartition: Int64] = [:]
                for record in batch {
                    if record.isPartitionEOF {
                        atEnd.insert(KafkaTopicPartition(topic: record.topic, partition: record.partition))
                        continue
                    }
                    if let error = record.error {
                        summary.errors += 1
                        logger.warning("consume error: \(error)")
                        continue
                    }
                    if let maxRecords = options.maxRecords, summary.records >= maxRecords { break }
                    options.format.append(record, to: &output, table: &table)
                    summary.records += 1
                    let key = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                    atEnd.remove(key)
                    last[key] = record.offset
                }
                output.withUnsafeBytes(write)
                if options.group != nil && !last.isEmpty {
                    try consumer.store(last.map { KafkaTopicPartition(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value + 1) })
                    do {
                        try consumer.commit()
                    } catch let error as KafkaError where error.isRetriable || error.isRebalanceRace {
                        // The group is moving: the stored offsets go with the next commit, or the next owner re-reads.
                        logger.info("commit deferred: \(error)")
                    }
                }
                if let maxRecords = options.maxRecords, summary.records >= maxRecords { return true }
                return options.exitAtEnd && !owned.isEmpty && owned.isSubset(of: atEnd)
            }
            if done { break }
        }
        try consumer.close()
        return summary
    }

    private static func bare(_ partition: KafkaTopicPartition) -> KafkaTopicPartition {
        KafkaTopicPartition(topic: partition.topic, partition: partition.partition)
    }

    private func allPartitions() throws -> [KafkaTopicPartition] {
        let metadata = try KafkaAdmin(configuration: configuration, logger: logger).metadata()
        let offset: Int64 = switch options.start {
        case .beginning: KafkaTopicPartition.beginningOffset
        case .end: KafkaTopicPartition.endOffset
        case .offset(let value): value
        }
        return try options.topics.flatMap { topic -> [KafkaTopicPartition] in
            guard let described = metadata.topics[topic], described.error == 0, !described.partitions.isEmpty else {
                throw KafkaError(code: .invalidArgument, message: "topic \(topic) does not exist")
            }
            return described.partitions.map { KafkaTopicPartition(topic: topic, partition: $0, offset: offset) }
        }
    }
}
