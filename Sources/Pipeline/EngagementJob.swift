import Engagement

/// The compiled engagement job: decode → validate → window → aggregate, over raw record values. One concrete
/// value, no per-event dynamic dispatch; the Kafka worker and `resonance replay` both drive it.
public struct EngagementJob {
    /// What to do with records whose `kind` is unknown.
    public enum UnknownKindPolicy: String, Sendable, CaseIterable {
        /// Reject them as `unknown_kind` (dead letters).
        case reject
        /// Skip them, but let their timestamps advance stream time (forward compatibility, end-of-stream sentinels).
        case ignore
    }

    /// The job's settings.
    public struct Settings: Sendable, Equatable {
        public var windows: WindowSpec
        public var streamTime: StreamTimeScope = .partition
        public var emission: WindowEmission = .onClose
        public var weights: EngagementWeights = .standard
        /// The kinds that make a user engaged (`aggregate.engaged_kinds`).
        public var engagedKinds: EngagedKinds = .standard
        public var unknownKinds: UnknownKindPolicy = .reject
        public var maxEventBytes = 64 * 1024
        /// How distinct users are counted.
        public var distinctUsers: DistinctUsersMode = .exact
        /// How far back an engagement makes a window's user returning (hopping windows); nil counts none.
        public var activityHorizon: Int64? = 7 * 86_400_000
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
        /// How many consecutive records ahead of their partition's stream time by more than `maxFutureSkew`, and
        /// within the skews of each other, show that the stream time was set by a wrong record: the last of them
        /// moves it to theirs (`bad_input.reanchor_after`).
        public var reanchorAfter = 8
        /// The detectors fed by the job's events and closed windows (none unless asked for).
        public var detectors: DetectorSettings = .none

        /// Creates settings for `windows`.
        public init(windows: WindowSpec) { self.windows = windows }

        /// Creates settings for hopping `windows`.
        public init(windows: HoppingWindows) { self.windows = .hopping(windows) }
    }

    /// The decoder, with the interned ids results refer to.
    public internal(set) var decoder: EventDecoder
    var windows: WindowStage
    var detectors: DetectorStage
    /// The follower counts, and the followers by name when the follower detector is on.
    var followers: FollowerLedger
    let settings: Settings
    var partitionTimes: [Int64] = []
    /// Per partition: the run of records rejected for being too far ahead of its stream time.
    var aheadRuns: [AheadRun] = []
    var jobTime: Int64 = .min
    var nextSweep: Int64 = .min
    var compactionDue = false

    /// Creates a job.
    public init(settings: Settings) {
        self.settings = settings
        decoder = EventDecoder(maxEventBytes: settings.maxEventBytes)
        decoder.decodesPosts = settings.tracksPosts
        windows = WindowStage(settings.windows, settings: settings)
        detectors = DetectorStage(settings: settings.detectors, windows: settings.windows, weights: settings.weights)
        followers = Self.ledger(settings)
    }

    /// An empty follower ledger for `settings`: followers by name only when the follower detector runs.
    static func ledger(_ settings: Settings) -> FollowerLedger {
        FollowerLedger(
            dormantAfter: settings.detectors.followers?.dormantAfter ?? FollowerSettings().dormantAfter,
            engagedKinds: settings.engagedKinds, tracksFollowers: settings.detectors.followers != nil)
    }

    /// The follower ledger: counts per creator, and followers by name when the follower detector runs.
    public var followerLedger: FollowerLedger { followers }

    /// Events that arrived after every window they belong to had closed.
    public var lateEvents: Int { windows.lateEvents }
    /// Creators whose state was evicted after `stateTTL` of silence.
    public var evictedCreators: Int { windows.evictedCreators }
    /// Open window state, for the operator's gauge: panes (window slices) for hopping windows, creators holding an
    /// open window for sliding and session windows. Costs a pass over the creators: read it per scrape interval,
    /// not per event.
    public var openWindows: Int { windows.hopping?.openPaneCount ?? windows.records?.liveCreators.count ?? 0 }
    /// The hopping-window aggregator, when the job uses hopping windows.
    public var hoppingAggregator: HoppingWindowAggregator? { windows.hopping }

    /// Reads `value` ahead of its processing (`EventDecoder.scan`): changes nothing.
    public func scan(_ value: UnsafeRawBufferPointer?) -> ScannedRecord { decoder.scan(value) }

    /// Starts loading the window state and follower counters of the creator of a record scanned a few records ago — once the creator's
    /// interner slot, requested by the scan, has had time to arrive. A hint: changes nothing observable (mutating
    /// so the window stage is reached in place).
    public mutating func prefetchState(for record: ScannedRecord) {
        guard let probe = record.creatorProbe, let creator = decoder.creators.probableID(probe) else { return }
        windows.prefetchState(of: creator)
        followers.prefetch(creator: creator)
    }

    /// Processes one record value from `partition`, as `process(_:partition:emit:signal:late:)` does a scanned one.
    public mutating func process(
        _ value: UnsafeRawBufferPointer?, partition: Int32 = 0, recordTime: Int64? = nil,
        emit: (WindowAggregate) -> Void, signal: (JobSignal) -> Void = { _ in },
        late: (InteractionEvent) -> Void = { _ in }
    ) -> Rejection? {
        process(scan(value), partition: partition, recordTime: recordTime, emit: emit, signal: signal, late: late)
    }

    /// Processes one record from `partition`, scanned by this job (`scan`, or a `RecordLookahead`): emits window
    /// results, hands detector results to `signal` and late events to `late`, returns the rejection if the record is
    /// bad (the caller dead-letters it), nil otherwise. `recordTime` is the broker's timestamp of the record (create
    /// or log-append time), when there is one: an event may not claim to be more than `maxFutureSkew` younger than
    /// its record. Every id emitted by a call resolves through `decoder` until the next call (interners are
    /// compacted only at the start of a call).
    public mutating func process(
        _ record: ScannedRecord, partition: Int32 = 0, recordTime: Int64? = nil, emit: (WindowAggregate) -> Void,
        signal: (JobSignal) -> Void = { _ in }, late: (InteractionEvent) -> Void = { _ in }
    ) -> Rejection? {
        if compactionDue { compactInterners() }
        switch decoder.decode(record) {
        case .event(let event):
            if let rejection = checkTime(event.timestamp, partition: partition, recordTime: recordTime) {
                return rejection
            }
            guard detectors.isActive else {
                windows.add(event, partition: partition, followers: &followers, emit: emit, late: late)
                if event.timestamp >= nextSweep { sweep(now: event.timestamp, emit: emit) }
                return nil
            }
            detectors.observe(event, followers: &followers, signal: signal)
            var closed: [WindowAggregate] = []
            windows.add(
                event, partition: partition, followers: &followers,
                emit: {
                    emit($0)
                    closed.append($0)
                }, late: late)
            if event.timestamp >= nextSweep {
                sweep(
                    now: event.timestamp,
                    emit: {
                        emit($0)
                        closed.append($0)
                    })
            }
            for aggregate in closed { detectors.observe(aggregate, signal: signal) }
            return nil
        case .unknownKind(let timestamp, let creator):
            guard settings.unknownKinds == .ignore else { return Rejection(.unknownKind, field: "kind") }
            if let rejection = checkTime(timestamp, partition: partition, recordTime: recordTime) { return rejection }
            guard detectors.isActive else {
                windows.advance(
                    creator: creator, timestamp: timestamp, partition: partition, followers: followers, emit: emit)
                return nil
            }
            var closed: [WindowAggregate] = []
            windows.advance(
                creator: creator, timestamp: timestamp, partition: partition, followers: followers,
                emit: {
                    emit($0)
                    closed.append($0)
                })
            for aggregate in closed { detectors.observe(aggregate, signal: signal) }
            return nil
        case .rejected(let rejection):
            return rejection
        }
    }

    /// Event times must lie in 1970…2100, no more than `maxFutureSkew` after their record's broker timestamp, and
    /// within the skews of the partition's stream time (the max accepted event time), which only accepted records
    /// move: one absurd clock must not close every window or open one decades away. A stream time set by a wrong
    /// record (a first record in seconds instead of milliseconds) is outvoted: `reanchorAfter` consecutive records
    /// ahead of it, consistent with each other, move it to theirs.
    private mutating func checkTime(_ timestamp: Int64, partition: Int32, recordTime: Int64?) -> Rejection? {
        guard (0...Self.year2100).contains(timestamp), partition >= 0,
            recordTime.map({ timestamp <= $0 + settings.maxFutureSkew }) ?? true
        else {
            return Rejection(.timestampOutOfRange, field: "ts")
        }
        let index = Int(partition)
        if index >= partitionTimes.count {
            partitionTimes += repeatElement(.min, count: index + 1 - partitionTimes.count)
        }
        // Runs are not checkpointed: a restored job starts without one.
        if index >= aheadRuns.count { aheadRuns += repeatElement(AheadRun(), count: index + 1 - aheadRuns.count) }
        let streamTime = partitionTimes[index]
        if streamTime != .min {
            if timestamp < streamTime - settings.maxPastSkew { return Rejection(.timestampOutOfRange, field: "ts") }
            if timestamp > streamTime + settings.maxFutureSkew {
                guard let outvoted = aheadRuns[index].extend(with: timestamp, settings: settings) else {
                    return Rejection(.timestampOutOfRange, field: "ts")
                }
                partitionTimes[index] = outvoted
                return nil
            }
            if aheadRuns[index].count > 0 { aheadRuns[index] = AheadRun() }
        }
        partitionTimes[index] = max(streamTime, timestamp)
        return nil
    }

    /// Consecutive records too far ahead of a partition's stream time.
    struct AheadRun: Equatable {
        var count = 0
        var latest: Int64 = .min

        /// Adds a record of `timestamp` to the run (or starts a new run when it is not within the skews of the
        /// run's latest); when the run is now long enough to outvote the stream time, resets it and returns the
        /// stream time it sets.
        mutating func extend(with timestamp: Int64, settings: Settings) -> Int64? {
            let consistent =
                count > 0 && timestamp <= latest + settings.maxFutureSkew && timestamp >= latest - settings.maxPastSkew
            count = consistent ? count + 1 : 1
            latest = consistent ? max(latest, timestamp) : timestamp
            guard count >= settings.reanchorAfter else { return nil }
            defer { self = AheadRun() }
            return latest
        }
    }

    /// Evicts creators idle for `stateTTL` of job time (the max event time seen) and, when it did, schedules an
    /// interner compaction for the next call. Runs at most once per sixteenth of the TTL of event time.
    private mutating func sweep(now: Int64, emit: (WindowAggregate) -> Void) {
        jobTime = max(jobTime, now)
        let interval = max(settings.stateTTL / 16, 1)
        if nextSweep == .min {
            nextSweep = jobTime + interval
            return
        }
        nextSweep = jobTime + interval
        if let horizon = settings.activityHorizon { windows.forgetActivity(before: jobTime - horizon) }
        guard windows.evictIdle(before: jobTime - settings.stateTTL, followers: followers, emit: emit) > 0 else {
            return
        }
        compactionDue = true
    }

    /// Compacts the interners when most of what they hold is no longer referenced by windows or detectors.
    private mutating func compactInterners() {
        compactionDue = false
        let liveCreators = windows.liveCreators + followers.liveCreators
        if decoder.creators.count > max(4096, 2 * liveCreators.count) {
            let (compacted, mapping) = decoder.creators.compacted(keeping: liveCreators)
            windows.remapCreators(mapping, count: compacted.count)
            detectors.remapCreators(mapping)
            followers.remap(creators: mapping, users: nil)
            decoder.replaceInterners(creators: compacted)
        }
        guard decoder.users.count > 65_536 else { return }
        let liveUsers = windows.liveUsers + followers.liveUsers
        if decoder.users.count > 2 * liveUsers.count {
            let (compacted, mapping) = decoder.users.compacted(keeping: liveUsers)
            windows.remapUsers(mapping)
            detectors.remapUsers(mapping)
            followers.remap(creators: nil, users: mapping)
            decoder.replaceInterners(users: compacted)
        }
    }

    private static let year2100: Int64 = 4_102_444_800_000
}

extension EngagementJob.Settings {
    /// What `Pipelines/engagement.yaml` asks for: 60 s windows hopping by 10 s with 5 s of grace, both detectors on.
    public static var engagementDefaults: Self {
        var settings = Self(windows: HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!)
        settings.detectors = DetectorSettings()
        return settings
    }
}
