import Detectors
import Engagement

/// Spike detectors per (creator, community tag), for events that carry a `community`: each pair's events are
/// bucketed into tumbling windows of the job's window size (by the pair's own event time; a late event counts in the
/// current bucket) and a bucket is handed to the pair's `SpikeDetector` when the pair's next event falls in a later
/// one. The audience of a bucket is its distinct users, counted exactly up to 256 and by events beyond.
struct CommunitySpikes {
    let settings: SpikeSettings
    let step: Int64
    var index: [UInt64: Int] = [:]
    var pairs: [Pair] = []

    struct Pair {
        var creator: UInt32
        var community: UInt32
        var bucketStart: Int64
        var users: [UInt32] = []
        var extraUsers = 0
        var score = 0.0
        var counts = KindCounts()
        var detector: SpikeDetector
    }

    init(settings: SpikeSettings, step: Int64) {
        self.settings = settings
        self.step = max(step, 1)
    }

    /// Adds an engagement event with a community tag; `watchedSince` is the job's first event time.
    mutating func add(_ event: InteractionEvent, weight: Double, watchedSince: Int64,
                      signal: (UInt32, UInt32, SpikeSignal, KindCounts, Int64) -> Void) {
        let key = UInt64(event.creator) << 32 | UInt64(event.community)
        let bucket = event.timestamp / step * step
        guard let slot = index[key] else {
            let watched = watchedSince / step * step
            let detector = SpikeDetector(settings: settings, step: step, silentHistory: Int(max(bucket - watched, 0) / step))
            index[key] = pairs.count
            pairs.append(Pair(creator: event.creator, community: event.community, bucketStart: bucket, detector: detector))
            count(event, weight: weight, in: pairs.count - 1)
            return
        }
        if bucket > pairs[slot].bucketStart {
            flush(slot, signal: signal)
            pairs[slot].bucketStart = bucket
        }
        count(event, weight: weight, in: slot)
    }

    private mutating func count(_ event: InteractionEvent, weight: Double, in slot: Int) {
        pairs[slot].score += weight
        pairs[slot].counts.add(event.kind)
        if pairs[slot].users.contains(event.user) { return }
        if pairs[slot].users.count < 256 { pairs[slot].users.append(event.user) } else { pairs[slot].extraUsers += 1 }
    }

    private mutating func flush(_ slot: Int, signal: (UInt32, UInt32, SpikeSignal, KindCounts, Int64) -> Void) {
        let pair = pairs[slot]
        var results: [SpikeSignal] = []
        pairs[slot].detector.observe(windowStart: pair.bucketStart, audience: Double(pair.users.count + pair.extraUsers),
                                     score: pair.score) { results.append($0) }
        for result in results { signal(pair.creator, pair.community, result, pair.counts, pair.bucketStart + step) }
        pairs[slot].users.removeAll(keepingCapacity: true)
        pairs[slot].extraUsers = 0
        pairs[slot].score = 0
        pairs[slot].counts = KindCounts()
    }

    /// Renumbers creators after compaction (`mapping[old]` = new id, `UInt32.max` = dropped).
    mutating func remapCreators(_ mapping: [UInt32]) {
        pairs = pairs.compactMap { pair in
            guard Int(pair.creator) < mapping.count, mapping[Int(pair.creator)] != .max else { return nil }
            var moved = pair
            moved.creator = mapping[Int(pair.creator)]
            return moved
        }
        rebuildIndex()
    }

    /// Renumbers users after compaction: bucket users no longer known are dropped (they still count as extra).
    mutating func remapUsers(_ mapping: [UInt32]) {
        for slot in pairs.indices {
            let before = pairs[slot].users.count
            pairs[slot].users = pairs[slot].users.compactMap { Int($0) < mapping.count && mapping[Int($0)] != .max ? mapping[Int($0)] : nil }
            pairs[slot].extraUsers += before - pairs[slot].users.count
        }
    }

    mutating func rebuildIndex() {
        index = [:]
        for (slot, pair) in pairs.enumerated() { index[UInt64(pair.creator) << 32 | UInt64(pair.community)] = slot }
    }
}
