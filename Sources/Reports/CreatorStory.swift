import Foundation

/// What the result topics say about one creator, gathered for a chart: engagement per closed window, spikes,
/// follower-health reports and drift alerts. Built from result records (JSON objects as the worker writes them to
/// `engagement-aggregates`, `community-spikes`, `follower-health` and `follower-drift`, or as `resonance replay`
/// prints them), in any order; records of other creators and of other kinds are skipped.
public struct CreatorStory: Sendable, Equatable {
    /// One closed window's engagement.
    public struct Window: Sendable, Equatable {
        public var start: Int64
        public var end: Int64
        public var score: Double
        public var engagedUsers: Int
    }

    /// A spike: from its onset to its end (nil while it was still open when the records end).
    public struct Spike: Sendable, Equatable {
        public var onset: Int64
        public var end: Int64?
        public var severity: Double?
        public var community: String?
    }

    /// One follower-health report.
    public struct Health: Sendable, Equatable {
        public var asOf: Int64
        public var dormantShare: Double
        public var followers: Int
    }

    /// One drift alert.
    public struct Drift: Sendable, Equatable {
        public var onset: Int64
        public var shareBefore: Double
        public var shareAfter: Double
    }

    /// The creator the story is about.
    public let creator: String
    /// Only records in `[from, to)` (epoch ms) are kept; nil leaves that side open.
    public let from: Int64?
    public let to: Int64?
    public private(set) var windows: [Window] = []
    public private(set) var spikes: [Spike] = []
    public private(set) var health: [Health] = []
    public private(set) var drifts: [Drift] = []

    /// An empty story of `creator`, limited to `[from, to)`.
    public init(creator: String, from: Int64? = nil, to: Int64? = nil) {
        self.creator = creator
        self.from = from
        self.to = to
    }

    /// Adds every JSON object line of the UTF-8 `bytes` that belongs to the story; other lines are skipped.
    /// - Returns: how many records were added.
    @discardableResult
    public mutating func add(lines bytes: UnsafeRawBufferPointer) -> Int {
        // Parsing is the cost; a record of this creator holds its id as a JSON string, so lines without it are
        // skipped unparsed (an id with characters JSON would escape takes the slow path through every line).
        let quoted = Array("\"\(creator)\"".utf8)
        let prefilter = !quoted.dropFirst().dropLast().contains {
            $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") || $0 < 0x20
        }
        return ResultLines.forEachObjectLine(in: bytes) { line in
            guard !prefilter || Self.find(quoted, in: line), let object = ResultLines.object(line) else { return false }
            return add(object)
        }
    }

    /// Adds one result record if it is about this creator and inside the time range.
    /// - Returns: whether it was added.
    @discardableResult
    public mutating func add(_ record: [String: Any]) -> Bool {
        guard record["creator_id"] as? String == creator else { return false }
        switch record["type"] as? String {
        case nil:
            guard let start = Self.int(record["window_start"]), let end = Self.int(record["window_end"]),
                contains(start),
                let score = (record["score"] as? NSNumber)?.doubleValue
            else { return false }
            windows.append(
                Window(
                    start: start, end: end, score: score,
                    engagedUsers: Self.int(record["engaged_users"]).map(Int.init) ?? 0))
        case "spike_started":
            guard let onset = Self.int(record["onset"]), contains(onset) else { return false }
            let community = record["community"] as? String
            guard !spikes.contains(where: { $0.onset == onset && $0.community == community }) else { return false }
            spikes.append(
                Spike(
                    onset: onset, end: nil, severity: (record["severity"] as? NSNumber)?.doubleValue,
                    community: community))
        case "spike_ended":
            guard let onset = Self.int(record["onset"]), let end = Self.int(record["end"]), contains(onset) else {
                return false
            }
            let community = record["community"] as? String
            if let index = spikes.firstIndex(where: { $0.onset == onset && $0.community == community }) {
                spikes[index].end = end
            } else {
                spikes.append(Spike(onset: onset, end: end, severity: nil, community: community))
            }
        case "follower_health":
            guard let asOf = Self.int(record["as_of"]), contains(asOf),
                let share = (record["dormant_share"] as? NSNumber)?.doubleValue
            else {
                return false
            }
            health.append(
                Health(asOf: asOf, dormantShare: share, followers: Self.int(record["followers"]).map(Int.init) ?? 0))
        case "follower_drift":
            guard let onset = Self.int(record["onset"]), contains(onset) else { return false }
            drifts.append(
                Drift(
                    onset: onset, shareBefore: (record["share_before"] as? NSNumber)?.doubleValue ?? 0,
                    shareAfter: (record["share_after"] as? NSNumber)?.doubleValue ?? 0))
        default:
            return false
        }
        return true
    }

    /// Drops what ended before `time` (epoch ms): windows, health reports, drift alerts and spikes that have
    /// ended. An open spike stays, however old its onset. Keeps a story that is fed forever bounded in memory.
    public mutating func forget(before time: Int64) {
        windows.removeAll { $0.end < time }
        health.removeAll { $0.asOf < time }
        drifts.removeAll { $0.onset < time }
        spikes.removeAll { spike in spike.end.map { $0 < time } ?? false }
    }

    /// Whether the story holds anything to draw.
    public var isEmpty: Bool { windows.isEmpty && health.isEmpty && spikes.isEmpty }

    /// The time span the records cover: the range asked for where given, else the records' own extent.
    public var span: ClosedRange<Int64>? {
        let times =
            windows.flatMap { [$0.start, $0.end] } + health.map(\.asOf)
            + spikes.flatMap { [$0.onset, $0.end ?? $0.onset] }
            + drifts.map(\.onset)
        guard let low = from ?? times.min(), let high = to ?? times.max(), low < high else { return nil }
        return low...high
    }

    /// Engagement per bucket of `width` ms from `start`: the score of the non-overlapping windows (those starting
    /// on a multiple of their own size, so hopping windows are not counted several times) summed per bucket.
    public func engagement(from start: Int64, bucket width: Int64, count: Int) -> [Double] {
        var buckets = [Double](repeating: 0, count: count)
        for window in windows where (window.end - window.start) > 0 && window.start % (window.end - window.start) == 0 {
            let index = Int((window.start - start) / width)
            if index >= 0 && index < count { buckets[index] += window.score }
        }
        return buckets
    }

    /// Whether `needle` occurs in `haystack` (memchr for its first byte, then memcmp).
    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first, let base = haystack.baseAddress, haystack.count >= needle.count else {
            return false
        }
        var offset = 0
        let lastStart = haystack.count - needle.count
        while offset <= lastStart, let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) {
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, needle, needle.count) == 0 { return true }
            offset = position + 1
        }
        return false
    }

    private func contains(_ time: Int64) -> Bool {
        (from.map { time >= $0 } ?? true) && (to.map { time < $0 } ?? true)
    }

    private static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }
}
