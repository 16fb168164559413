/// Kafka Streams-style sliding windows: two events share a window when their times differ by at most
/// `maxDifference`. Windows are `[start, start + maxDifference]` (inclusive, emitted as the half-open
/// `[start, start + maxDifference + 1)`), and only those that hold a distinct set of events exist: for every event at
/// `t` the window ending at `t`, and for every event with a successor within `maxDifference` the window starting
/// right after it. A window closes when stream time passes its end plus `grace`; an event is late when the window
/// ending at it has closed.
public struct SlidingWindows: Sendable, Equatable {
    /// The largest time difference within one window, milliseconds.
    public let maxDifference: Int64
    /// How long after its end a window still accepts events, milliseconds.
    public let grace: Int64

    /// Creates sliding windows; nil unless `maxDifference > 0` and `grace ≥ 0`.
    public init?(maxDifference: Int64, grace: Int64) {
        guard maxDifference > 0, grace >= 0 else { return nil }
        self.maxDifference = maxDifference
        self.grace = grace
    }
}

/// One creator's sliding-window state: events sliced by timestamp, and the starts of windows not yet closed.
struct SlidingWindowState: RecordWindowState {
    private var slices: [(time: Int64, slice: Slice)] = []
    private var pending: [Int64] = []
    private var closedThrough: Int64 = .min

    var nextClose: Int64 = .max

    var users: [UInt32] { slices.flatMap(\.slice.users) }

    mutating func remapUsers(_ mapping: [UInt32]) {
        for index in slices.indices { slices[index].slice.remapUsers(mapping) }
    }

    mutating func add(_ event: InteractionEvent, entry: UInt32, spec: SlidingWindows, streamTime: Int64, sketchThreshold: Int) -> Bool {
        let t = event.timestamp
        guard t + spec.grace >= streamTime else { return false }
        let position = slices.partitioningIndex { $0.time >= t }
        if position < slices.count && slices[position].time == t {
            slices[position].slice.add(event.kind, entry: entry, sketchThreshold: sketchThreshold)
        } else {
            var slice = Slice()
            slice.add(event.kind, entry: entry, sketchThreshold: sketchThreshold)
            slices.insert((t, slice), at: position)
        }
        insertCandidate(t - spec.maxDifference, spec: spec)
        // Only the nearest neighbours can gain a right window: farther ones already had a successor within range.
        if position > 0, t - slices[position - 1].time <= spec.maxDifference { insertCandidate(slices[position - 1].time + 1, spec: spec) }
        let next = slices.partitioningIndex { $0.time > t }
        if next < slices.count, slices[next].time - t <= spec.maxDifference { insertCandidate(t + 1, spec: spec) }
        return true
    }

    private mutating func insertCandidate(_ start: Int64, spec: SlidingWindows) {
        guard start > closedThrough else { return }
        let position = pending.partitioningIndex { $0 >= start }
        if position < pending.count && pending[position] == start { return }
        pending.insert(start, at: position)
        nextClose = pending[0] + spec.maxDifference + spec.grace
    }

    mutating func close(at streamTime: Int64, spec: SlidingWindows, creator: UInt32, context: inout WindowContext, emit: (WindowAggregate) -> Void) {
        var closed = 0
        while closed < pending.count && streamTime > pending[closed] + spec.maxDifference + spec.grace {
            let start = pending[closed]
            let end = start + spec.maxDifference
            closedThrough = start
            closed += 1
            let first = slices.partitioningIndex { $0.time >= start }
            let last = slices.partitioningIndex { $0.time > end }
            let endsAtEvent = last > first && slices[last - 1].time == end
            let startsAfterEvent = first > 0 && slices[first - 1].time == start - 1 && first < last
            guard endsAtEvent || startsAfterEvent else { continue }
            if let aggregate = context.aggregate(creator: creator, start: start, end: end + 1,
                                                 slices: slices[first..<last].lazy.map(\.slice)) {
                emit(aggregate)
            }
        }
        pending.removeFirst(closed)
        nextClose = pending.first.map { $0 + spec.maxDifference + spec.grace } ?? .max
        // Keep what an open window or a window an acceptable event could still create may need.
        let horizon = min(pending.first ?? .max, streamTime - spec.maxDifference - spec.grace) - 1
        let drop = slices.partitioningIndex { $0.time >= horizon }
        if drop > 0 { slices.removeFirst(drop) }
    }
}

extension RandomAccessCollection {
    /// The first index whose element satisfies `predicate`, which must be false then true along the collection.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if predicate(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

extension SlidingWindowState {
    func encode(into writer: inout SnapshotWriter) {
        writer.write(UInt64(slices.count))
        for entry in slices {
            writer.write(entry.time)
            entry.slice.encode(into: &writer)
        }
        writer.write(pending)
        writer.write(closedThrough)
        writer.write(nextClose)
    }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        let count = try reader.readCount(elementSize: 8)
        for _ in 0..<count {
            let time: Int64 = try reader.read()
            slices.append((time, try Slice(from: &reader)))
        }
        pending = try reader.readArray(Int64.self)
        closedThrough = try reader.read()
        nextClose = try reader.read()
    }
}
