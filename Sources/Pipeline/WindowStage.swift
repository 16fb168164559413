import Engagement

/// Which windows a job aggregates into.
public enum WindowSpec: Sendable, Equatable {
    case hopping(HoppingWindows)
    case sliding(SlidingWindows)
    case session(SessionWindows)
}

/// The window stage of a job: the one aggregator its `WindowSpec` calls for. Exactly one of the two is set, and
/// optional chaining mutates it in place, so the per-event cost of the choice is one branch.
struct WindowStage {
    private(set) var hopping: HoppingWindowAggregator?
    private(set) var records: RecordWindowAggregator?
    private(set) var evictedCreators = 0

    init(_ spec: WindowSpec, settings: EngagementJob.Settings) {
        switch spec {
        case .hopping(let windows):
            hopping = HoppingWindowAggregator(
                windows: windows, scope: settings.streamTime, weights: settings.weights, emission: settings.emission,
                distinctUsers: settings.distinctUsers, engagedKinds: settings.engagedKinds,
                activityHorizon: settings.activityHorizon)
        case .sliding(let windows):
            records = RecordWindowAggregator(windows: windows, scope: settings.streamTime, weights: settings.weights,
                                             distinctUsers: settings.distinctUsers, engagedKinds: settings.engagedKinds)
        case .session(let windows):
            records = RecordWindowAggregator(windows: windows, scope: settings.streamTime, weights: settings.weights,
                                             distinctUsers: settings.distinctUsers, engagedKinds: settings.engagedKinds)
        }
    }

    /// Appends the aggregator's state to `writer`.
    func encode(into writer: inout SnapshotWriter) {
        hopping?.encode(into: &writer)
        records?.encode(into: &writer)
    }

    /// Restores what `encode` wrote into a stage with the same spec.
    mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        try hopping?.restore(from: &reader)
        try records?.restore(from: &reader)
    }

    mutating func restoreEvictedCreators(_ count: Int) { evictedCreators = count }

    var lateEvents: Int { hopping?.lateEvents ?? records?.lateEvents ?? 0 }

    /// Starts loading `creator`'s window state (hopping windows; a hint, nothing else). Mutating only so the
    /// optional aggregator is reached in place: a non-mutating call copied it.
    @inline(__always)
    mutating func prefetchState(of creator: UInt32) { hopping?.prefetchState(of: creator) }

    @inline(__always)
    mutating func add(
        _ event: InteractionEvent, partition: Int32, followers: inout FollowerLedger,
        emit: (WindowAggregate) -> Void, late: (InteractionEvent) -> Void
    ) {
        hopping?.add(event, partition: partition, followers: &followers, emit: emit, late: late)
        records?.add(event, partition: partition, followers: &followers, emit: emit, late: late)
    }

    mutating func advance(
        creator: UInt32, timestamp: Int64, partition: Int32, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void
    ) {
        hopping?.advance(creator: creator, timestamp: timestamp, partition: partition, followers: followers, emit: emit)
        records?.advance(creator: creator, timestamp: timestamp, partition: partition, followers: followers, emit: emit)
    }

    mutating func evictIdle(before cutoff: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void) -> Int {
        let evicted = (hopping?.evictIdle(before: cutoff, followers: followers, emit: emit) ?? 0)
            + (records?.evictIdle(before: cutoff, followers: followers, emit: emit) ?? 0)
        evictedCreators += evicted
        return evicted
    }

    mutating func forgetActivity(before cutoff: Int64) { hopping?.forgetActivity(before: cutoff) }

    var liveCreators: [UInt32] { hopping?.liveCreators ?? records?.liveCreators ?? [] }
    var liveUsers: [UInt32] { hopping?.liveUsers ?? records?.liveUsers ?? [] }

    mutating func remapCreators(_ mapping: [UInt32], count: Int) {
        hopping?.remapCreators(mapping, count: count)
        records?.remapCreators(mapping, count: count)
    }

    mutating func remapUsers(_ mapping: [UInt32]) {
        hopping?.remapUsers(mapping)
        records?.remapUsers(mapping)
    }
}
