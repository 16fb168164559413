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

    var users: [UInt32] { sessions.flatMap(\.slice.users) }

    mutating func remapUsers(_ mapping: [UInt32]) {
        for index in sessions.indices { sessions[index].slice.remapUsers(mapping) }
    }

    mutating func add(_ event: InteractionEvent, entry: UInt32, spec: SessionWindows, streamTime: Int64, sketchThreshold: Int) -> Bool {
        let t = event.timestamp
        let first = sessions.partitioningIndex { $0.end + spec.gap >= t }
        var last = first
        while last < sessions.count && sessions[last].start - spec.gap <= t { last += 1 }
        let start = first < last ? min(sessions[first].start, t) : t
        let end = first < last ? max(sessions[last - 1].end, t) : t
        guard end + spec.gap + spec.grace >= streamTime else { return false }
        var merged = Slice()
        for session in sessions[first..<last] { merged.merge(session.slice, sketchThreshold: sketchThreshold) }
        merged.add(event.kind, entry: entry, sketchThreshold: sketchThreshold)
        sessions.replaceSubrange(first..<last, with: [(start, end, merged)])
        nextClose = sessions.map { $0.end + spec.gap + spec.grace }.min() ?? .max
        return true
    }

    mutating func close(at streamTime: Int64, spec: SessionWindows, creator: UInt32, context: inout WindowContext, emit: (WindowAggregate) -> Void) {
        sessions.removeAll { session in
            guard streamTime > session.end + spec.gap + spec.grace else { return false }
            if let aggregate = context.aggregate(creator: creator, start: session.start, end: session.end + 1,
                                                 slices: CollectionOfOne(session.slice)) {
                emit(aggregate)
            }
            return true
        }
        nextClose = sessions.map { $0.end + spec.gap + spec.grace }.min() ?? .max
    }
}

extension SessionWindowState {
    func encode(into writer: inout SnapshotWriter) {
        writer.write(UInt64(sessions.count))
        for session in sessions {
            writer.write(session.start)
            writer.write(session.end)
            session.slice.encode(into: &writer)
        }
        writer.write(nextClose)
    }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        let count = try reader.readCount(elementSize: 16)
        for _ in 0..<count {
            let start: Int64 = try reader.read(), end: Int64 = try reader.read()
            sessions.append((start, end, try Slice(from: &reader)))
        }
        nextClose = try reader.read()
    }
}
