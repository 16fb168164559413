/// Sliding or session windows per creator (see `SlidingWindows`, `SessionWindows`), with stream time per key or
/// per partition. Pure: no clock, no I/O.
public struct RecordWindowAggregator {
    // Exactly one is set; optional chaining mutates it in place.
    var sliding: RecordWindowCore<SlidingWindowState>?
    var session: RecordWindowCore<SessionWindowState>?

    /// Creates a sliding-window aggregator.
    public init(windows: SlidingWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
                distinctUsers: DistinctUsersMode = .exact, engagedKinds: EngagedKinds = .standard) {
        sliding = RecordWindowCore(
            spec: windows, scope: scope, weights: weights, distinctUsers: distinctUsers, engagedKinds: engagedKinds)
    }

    /// Creates a session-window aggregator.
    public init(windows: SessionWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
                distinctUsers: DistinctUsersMode = .exact, engagedKinds: EngagedKinds = .standard) {
        session = RecordWindowCore(
            spec: windows, scope: scope, weights: weights, distinctUsers: distinctUsers, engagedKinds: engagedKinds)
    }

    /// Events that arrived after every window they belong to had closed.
    public var lateEvents: Int { sliding?.lateEvents ?? session?.lateEvents ?? 0 }

    /// Adds one event read from `partition`, emitting every window that closes; late events go to `late`.
    /// `followers` learns the event too — after the windows it closes are emitted with their follower counts.
    public mutating func add(
        _ event: InteractionEvent, partition: Int32 = 0, followers: inout FollowerLedger,
        emit: (WindowAggregate) -> Void, late: (InteractionEvent) -> Void = { _ in }
    ) {
        let changesFollowers = event.kind.changesFollowers
        let follower = changesFollowers ? false : followers.apply(event)
        sliding?.add(event, follower: follower, partition: partition, followers: followers, emit: emit, late: late)
        session?.add(event, follower: follower, partition: partition, followers: followers, emit: emit, late: late)
        if changesFollowers { followers.apply(event) }
    }

    /// Advances stream time with a record that carries no countable event, emitting every window that closes.
    public mutating func advance(
        creator: UInt32, timestamp: Int64, partition: Int32 = 0, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void
    ) {
        sliding?.advance(creator: creator, timestamp: timestamp, partition: partition, followers: followers, emit: emit)
        session?.advance(creator: creator, timestamp: timestamp, partition: partition, followers: followers, emit: emit)
    }

    /// Drops the state of creators idle since before `cutoff`, emitting their open windows first.
    @discardableResult
    public mutating func evictIdle(
        before cutoff: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void
    ) -> Int {
        (sliding?.evictIdle(before: cutoff, followers: followers, emit: emit) ?? 0)
            + (session?.evictIdle(before: cutoff, followers: followers, emit: emit) ?? 0)
    }

    /// Creator ids holding state, ascending.
    public var liveCreators: [UInt32] { sliding?.liveCreators ?? session?.liveCreators ?? [] }

    /// User ids the state holds, ascending.
    public var liveUsers: [UInt32] { sliding?.liveUsers ?? session?.liveUsers ?? [] }

    /// Renumbers creators after their interner was compacted.
    public mutating func remapCreators(_ mapping: [UInt32], count: Int) {
        sliding?.remapCreators(mapping, count: count)
        session?.remapCreators(mapping, count: count)
    }

    /// Renumbers users after their interner was compacted.
    public mutating func remapUsers(_ mapping: [UInt32]) {
        sliding?.remapUsers(mapping)
        session?.remapUsers(mapping)
    }

    /// Appends the aggregator's state (not its configuration) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        sliding?.encode(into: &writer)
        session?.encode(into: &writer)
    }

    /// Restores the state `encode` wrote into an aggregator configured like the one that wrote it.
    public mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        try sliding?.restore(from: &reader)
        try session?.restore(from: &reader)
    }
}
