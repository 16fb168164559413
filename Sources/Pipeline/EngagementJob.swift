import Engagement

/// The compiled engagement job: decode → validate → window → aggregate, over raw record values. One concrete
/// value, no per-event dynamic dispatch; the Kafka worker and `resonance replay` both drive it.
public struct EngagementJob {
    /// What to do with records whose `kind` is unknown.
    public enum UnknownKindPolicy: String, Sendable {
        /// Reject them as `unknown_kind` (dead letters).
        case reject
        /// Skip them, but let their timestamps advance stream time (forward compatibility, end-of-stream sentinels).
        case ignore
    }

    /// The job's settings.
    public struct Settings: Sendable {
        public var windows: HoppingWindows
        public var streamTime: StreamTimeScope = .partition
        public var emission: WindowEmission = .onClose
        public var weights: EngagementWeights = .standard
        public var unknownKinds: UnknownKindPolicy = .reject
        public var maxEventBytes = 64 * 1024
        /// Whether post ids are kept (the spike detector names the posts behind a spike); jobs that never look at
        /// posts skip a lookup per event.
        public var tracksPosts = true
        /// How far ahead of its partition's stream time an event may be before it is `timestamp_out_of_range`.
        public var maxFutureSkew: Int64 = 86_400_000
        /// How long (event time) a creator may stay silent before its state is evicted and its open windows are
        /// flushed; bounds memory under endless new creator ids.
        public var stateTTL: Int64 = 86_400_000
        /// How far behind its partition's stream time an event may be before it is `timestamp_out_of_range`
        /// (closer ones are merely late when their windows have closed).
        public var maxPastSkew: Int64 = 30 * 86_400_000

        /// Creates settings for `windows`.
        public init(windows: HoppingWindows) { self.windows = windows }
    }

    /// The decoder, with the interned ids results refer to.
    public private(set) var decoder: EventDecoder
    /// The window stage.
    public private(set) var aggregator: HoppingWindowAggregator
    let settings: Settings
    private var partitionTimes: [Int64] = []
    private var jobTime: Int64 = .min
    private var nextSweep: Int64 = .min

    /// Creates a job.
    public init(settings: Settings) {
        self.settings = settings
        decoder = EventDecoder(maxEventBytes: settings.maxEventBytes)
        decoder.decodesPosts = settings.tracksPosts
        aggregator = HoppingWindowAggregator(
            windows: settings.windows, scope: settings.streamTime, weights: settings.weights, emission: settings.emission)
    }

    /// Processes one record value from `partition`: emits window results, hands late events to `late`, returns the
    /// rejection if the record is bad (the caller dead-letters it), nil otherwise.
    public mutating func process(
        _ value: UnsafeRawBufferPointer?, partition: Int32 = 0, emit: (WindowAggregate) -> Void,
        late: (InteractionEvent) -> Void = { _ in }
    ) -> Rejection? {
        switch decoder.decode(value) {
        case .event(let event):
            if let rejection = checkTime(event.timestamp, partition: partition) { return rejection }
            aggregator.add(event, partition: partition, emit: emit, late: late)
            if event.timestamp >= nextSweep { sweep(now: event.timestamp, emit: emit) }
            return nil
        case .unknownKind(let timestamp, let creator):
            guard settings.unknownKinds == .ignore else { return Rejection(.unknownKind, field: "kind") }
            if let rejection = checkTime(timestamp, partition: partition) { return rejection }
            aggregator.advance(creator: creator, timestamp: timestamp, partition: partition, emit: emit)
            return nil
        case .rejected(let rejection):
            return rejection
        }
    }

    /// Event times must lie in 1970…2100 and within the skews of the partition's stream time (the max accepted
    /// event time): one absurd clock must not close every window or open one decades away.
    private mutating func checkTime(_ timestamp: Int64, partition: Int32) -> Rejection? {
        guard (0...Self.year2100).contains(timestamp), partition >= 0 else {
            return Rejection(.timestampOutOfRange, field: "ts")
        }
        let index = Int(partition)
        if index >= partitionTimes.count { partitionTimes += repeatElement(.min, count: index + 1 - partitionTimes.count) }
        let streamTime = partitionTimes[index]
        if streamTime != .min
            && (timestamp > streamTime + settings.maxFutureSkew || timestamp < streamTime - settings.maxPastSkew)
        {
            return Rejection(.timestampOutOfRange, field: "ts")
        }
        partitionTimes[index] = max(streamTime, timestamp)
        return nil
    }

    /// Evicts creators idle for `stateTTL` of job time (the max event time seen), then compacts the interners when
    /// most of what they hold is no longer referenced. Runs at most once per sixteenth of the TTL of event time.
    private mutating func sweep(now: Int64, emit: (WindowAggregate) -> Void) {
        jobTime = max(jobTime, now)
        let interval = max(settings.stateTTL / 16, 1)
        if nextSweep == .min {
            nextSweep = jobTime + interval
            return
        }
        nextSweep = jobTime + interval
        guard aggregator.evictIdle(before: jobTime - settings.stateTTL, emit: emit) > 0 else { return }
        let liveCreators = aggregator.liveCreators
        if decoder.creators.count > max(4096, 2 * liveCreators.count) {
            let (compacted, mapping) = decoder.creators.compacted(keeping: liveCreators)
            aggregator.remapCreators(mapping, count: compacted.count)
            decoder.replaceInterners(creators: compacted)
        }
        guard decoder.users.count > 65_536 else { return }
        let liveUsers = aggregator.liveUsers
        if decoder.users.count > 2 * liveUsers.count {
            let (compacted, mapping) = decoder.users.compacted(keeping: liveUsers)
            aggregator.remapUsers(mapping)
            decoder.replaceInterners(users: compacted)
        }
    }

    private static let year2100: Int64 = 4_102_444_800_000
}
