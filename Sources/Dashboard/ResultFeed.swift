import Foundation
import Logging
import RdKafka

/// Reads the result topics into a `DashboardState` until told to stop: every partition of every result topic that
/// exists, the records written in the `lookBack` before the start (by their broker timestamps) and every one after, with no consumer group and
/// no commits, so any number of dashboards can watch one pipeline.
///
/// Nothing ends it but `shouldStop`: a broker that does not answer sets the `unreachable` status and is retried, a
/// topic that does not exist yet sets `waiting` and is looked for again, and a topic or partition that appears
/// later is picked up within `topologyCheck`, each partition resuming where it was.
public struct ResultFeed: Sendable {
    /// The topics to read.
    public var topics: [String]
    /// How far back in time reading starts.
    public var lookBack: Duration
    /// How often the topics' partitions are looked up again.
    public var topologyCheck: Duration = .seconds(5)

    private let configuration: KafkaConfiguration
    private let state: DashboardState
    private let logger: Logger

    /// A feed of `topics` into `state`.
    public init(
        topics: [String], lookBack: Duration, configuration: KafkaConfiguration, state: DashboardState, logger: Logger
    ) {
        self.topics = topics
        self.lookBack = lookBack
        var configuration = configuration
        configuration.groupID = nil
        self.configuration = configuration
        self.state = state
        self.logger = logger
    }

    /// Reads until `shouldStop` returns true; checked at least every 200 ms.
    public func run(shouldStop: () -> Bool) {
        let (seconds, attoseconds) = lookBack.components
        let since = Int64(Date().timeIntervalSince1970 * 1000) - seconds * 1000 - attoseconds / 1_000_000_000_000_000
        var positions: [KafkaTopicPartition: Int64] = [:]
        while !shouldStop() {
            do {
                let admin = try KafkaAdmin(configuration: configuration, logger: logger)
                try read(since: since, admin: admin, positions: &positions, shouldStop: shouldStop)
            } catch {
                state.setStatus(.unreachable(error.message))
                logger.warning("result topics unreadable: \(error)")
                pause(.seconds(2), shouldStop)
            }
        }
    }

    /// Reads the partitions that exist now until they change or reading stops.
    private func read(
        since: Int64, admin: KafkaAdmin, positions: inout [KafkaTopicPartition: Int64], shouldStop: () -> Bool
    ) throws(KafkaError) {
        let partitions = try self.partitions(admin)
        guard !partitions.isEmpty else {
            state.setStatus(.waitingForTopics(topics))
            pause(topologyCheck, shouldStop)
            return
        }
        let live = FeedStatus.live(missing: topics.filter { topic in !partitions.contains { $0.topic == topic } })
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { try? consumer.close() }
        try consumer.assign(Self.startOffsets(partitions, positions: positions))
        state.setStatus(live)
        var lines: [UInt8] = []
        var lastCheck = ContinuousClock.now
        while !shouldStop() {
            if let fatal = consumer.fatalError { throw fatal }
            consumer.consumeBatch(timeout: .milliseconds(200)) { batch in
                lines.removeAll(keepingCapacity: true)
                for record in batch {
                    if let error = record.error {
                        if record.isPartitionEOF { continue }
                        if error.isBrokerDown { state.setStatus(.unreachable(error.message)) }
                        logger.info("result topics: \(error)")
                        continue
                    }
                    positions[KafkaTopicPartition(topic: record.topic, partition: record.partition)] = record.offset + 1
                    guard let value = record.value, (record.timestamp?.milliseconds ?? since) >= since else { continue }
                    lines.append(contentsOf: value)
                    lines.append(0x0A)
                }
                if batch.contains(where: { !$0.isError }) { state.setStatus(live) }
                lines.withUnsafeBytes { _ = state.add(lines: $0) }
            }
            guard ContinuousClock.now - lastCheck >= topologyCheck else { continue }
            lastCheck = .now
            // A failed lookup means the broker is away: the consumer reconnects by itself, so only the status says so.
            do {
                if try self.partitions(admin) != partitions { return }
                if case .unreachable = state.status { state.setStatus(live) }
            } catch {
                state.setStatus(.unreachable(error.message))
            }
        }
    }

    /// The partitions of the result topics that exist.
    private func partitions(_ admin: KafkaAdmin) throws(KafkaError) -> [KafkaTopicPartition] {
        let metadata = try admin.metadata(timeout: .seconds(5))
        return topics.flatMap { topic -> [KafkaTopicPartition] in
            guard let described = metadata.topics[topic], described.error == 0 else { return [] }
            return described.partitions.map { KafkaTopicPartition(topic: topic, partition: $0) }
        }
    }

    /// Where each partition starts: where it was for a partition read before, else its beginning. Records older
    /// than `since` are skipped by timestamp rather than sought by one: librdkafka's mock cluster answers a
    /// ListOffsets by time with the partition's end, which would show nothing.
    private static func startOffsets(_ partitions: [KafkaTopicPartition], positions: [KafkaTopicPartition: Int64])
        -> [KafkaTopicPartition]
    {
        partitions.map { partition in
            KafkaTopicPartition(
                topic: partition.topic, partition: partition.partition,
                offset: positions[partition] ?? KafkaTopicPartition.beginningOffset)
        }
    }

    private func pause(_ duration: Duration, _ shouldStop: () -> Bool) {
        let end = ContinuousClock.now + duration
        while !shouldStop() && ContinuousClock.now < end { Thread.sleep(forTimeInterval: 0.1) }
    }
}
