/// Session windows: a creator's events separated by at most `gap` form one session `[first, last]` (emitted as the
/// half-open `[first, last + 1)`). A session closes when stream time passes `last + gap + grace`; closed sessions are
/// final, so a later event near one starts or joins another session. An event is late when the session it would
/// form or join would already be closed.
public struct SessionWindows: Sendable, Equatable {
    /// The inactivity gap that ends a session, milliseconds.
    public let gap: Int64
    /// How long after a session could last have been extended it still accepts events, milliseconds.
    public let grace: Int64

    /// Creates session windows; nil unless `gap > 0` and `grace ≥ 0`.
    public init?(gap: Int64, grace: Int64) {
        guard gap > 0, grace >= 0 else { return nil }
        self.gap = gap
        self.grace = grace
    }
}

/// One creator's open sessions, ordered and pairwise more than `gap` apart.
struct SessionWindowState: RecordWindowState {
    private var sessions: [(start: Int64, end: Int64, slice: Slice)] = []

    var nextClose: Int64 = .max

    mutating func add(_ event: InteractionEvent, spec: SessionWindows, streamTime: Int64, sketchThreshold: Int) -> Bool {
        let t = event.timestamp
        let first = sessions.partitioningIndex { $0.end + spec.gap >= t }
        var last = first
        while last < sessions.count && sessions[last].start - spec.gap <= t { last += 1 }
        let start = first < last ? min(sessions[first].start, t) : t
        let end = first < last ? max(sessions[last - 1].end, t) : t
        guard end + spec.gap + spec.grace >= streamTime else { return false }
        var merged = Slice()
        for session in sessions[first..<last] { merged.merge(session.slice, sketchThreshold: sketchThreshold) }
        merged.add(event, sketchThreshold: sketchThreshold)
        sessions.replaceSubrange(first..<last, with: [(start, end, merged)])
        nextClose = sessions.map { $0.end + spec.gap + spec.grace }.min() ?? .max
        return true
    }

    mutating func close(at streamTime: Int64, spec: SessionWindows, creator: UInt32, context: inout WindowContext, emit: (WindowAggregate) -> Void) {
        sessions.removeAll { session in
            guard streamTime > session.end + spec.gap + spec.grace else { return false }
            if let aggregate = context.aggregate(creator: creator, start: session.start, end: session.end + 1,
                                                 slices: CollectionOfOne(session.slice), followers: 0) {
                emit(aggregate)
            }
            return true
        }
        nextClose = sessions.map { $0.end + spec.gap + spec.grace }.min() ?? .max
    }
}

/// Sliding or session windows per creator (see `SlidingWindows`, `SessionWindows`), with stream time per key or
/// per partition. Pure: no clock, no I/O.
public struct RecordWindowAggregator {
    // Exactly one is set; optional chaining mutates it in place.
    var sliding: RecordWindowCore<SlidingWindowState>?
    var session: RecordWindowCore<SessionWindowState>?

    /// Creates a sliding-window aggregator.
    public init(windows: SlidingWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
                distinctUsers: DistinctUsersMode = .exact) {
        sliding = RecordWindowCore(spec: windows, scope: scope, weights: weights, distinctUsers: distinctUsers)
    }

    /// Creates a session-window aggregator.
    public init(windows: SessionWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
                distinctUsers: DistinctUsersMode = .exact) {
        session = RecordWindowCore(spec: windows, scope: scope, weights: weights, distinctUsers: distinctUsers)
    }

    /// Events that arrived after every window they belong to had closed.
    public var lateEvents: Int { sliding?.lateEvents ?? session?.lateEvents ?? 0 }

    /// Adds one event read from `partition`, emitting every window that closes; late events go to `late`.
    public mutating func add(_ event: InteractionEvent, partition: Int32 = 0, emit: (WindowAggregate) -> Void,
                             late: (InteractionEvent) -> Void = { _ in }) {
        sliding?.add(event, partition: partition, emit: emit, late: late)
        session?.add(event, partition: partition, emit: emit, late: late)
    }
}
