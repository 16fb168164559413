/// Counts distinct user ids across several lists in a hash set sized for each count and cleared only as far as the
/// count uses it: a window of a few dozen users is counted within a few cache lines, one of a hundred thousand in a
/// few megabytes. (A stamp per user id known — 4 MB for a million users — made every user of every window a miss of
/// its own, each user's entry being counted once per window of its pane.) At most an eighth full, nearly every id
/// lands in an empty slot at once; half full, the probes' branches missed often enough to cost the job 1.05×, and a
/// sixteenth full, the clearing cost more than it saved.
struct DistinctCounter {
    /// Per used slot, a user id + 1 and the tags seen with it (`insert`); 0 when empty.
    private var slots: [UInt32] = []
    /// Log2 of the slots the current count uses.
    private var bits = 0

    /// Starts a new count of at most `expected` additions.
    mutating func begin(expected: Int) {
        bits = max(4, Int.bitWidth - (8 * max(expected, 1) - 1).leadingZeroBitCount)
        let used = 1 << bits
        if slots.count < used {
            slots = [UInt32](repeating: 0, count: used)
        } else {
            slots.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: used) }
        }
    }

    /// Adds a tagged user entry (`AudienceEntry`) to the current count; returns what it added: the tags the user
    /// had not shown before in this count, plus `AudienceCounts.newUser` when the user is new to it. At most
    /// `expected` additions per count.
    @inline(__always)
    mutating func add(_ entry: UInt32) -> UInt32 {
        let bits = bits
        return slots.withUnsafeMutableBufferPointer { Self.insert(entry, into: $0.baseAddress!, bits: bits) }
    }

    /// Adds tagged user entries to the current count and `audience`.
    mutating func add(_ entries: some Sequence<UInt32>, to audience: inout AudienceCounts) {
        let bits = bits
        slots.withUnsafeMutableBufferPointer { slots in
            for entry in entries { audience.add(news: Self.insert(entry, into: slots.baseAddress!, bits: bits)) }
        }
    }

    /// A slot holds the user id + 1 in the entry's user bits and the union of the user's tags above them.
    @inline(__always)
    private static func insert(_ entry: UInt32, into slots: UnsafeMutablePointer<UInt32>, bits: Int) -> UInt32 {
        let key = AudienceEntry.user(entry) &+ 1
        let tags = entry & ~AudienceEntry.userMask
        let mask = (1 << bits) - 1
        var index = Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
        while true {
            let slot = slots[index]
            if slot & AudienceEntry.userMask == key {
                let news = tags & ~slot
                slots[index] = slot | news
                return news
            }
            if slot == 0 {
                slots[index] = key | tags
                return tags | AudienceCounts.newUser
            }
            index = (index + 1) & mask
        }
    }

    /// The audience across `slices`: exact while every slice holds its users as a list, estimated with
    /// HyperLogLog once any slice has switched to a sketch.
    mutating func count(_ slices: some Sequence<Slice>) -> AudienceCounts {
        var merged: AudienceSketch?
        for slice in slices {
            if let sketch = slice.sketch {
                if merged == nil { merged = AudienceSketch() }
                merged!.merge(sketch)
            }
        }
        guard var merged else {
            begin(expected: slices.reduce(0) { $0 + $1.users.count })
            var audience = AudienceCounts()
            for slice in slices { add(slice.users, to: &audience) }
            return audience
        }
        for slice in slices where slice.sketch == nil { merged.add(entries: slice.users) }
        return merged.estimate
    }
}

/// How distinct users are counted.
public enum DistinctUsersMode: String, Sendable, CaseIterable {
    /// Exactly, from every user id (the default).
    case exact
    /// Exactly until a slice holds `sketchThreshold` user entries, then with a HyperLogLog sketch for that slice:
    /// bounded memory for very large audiences, error ≤ 2 % (standard error 0.81 %).
    case approximate

    /// User entries a slice holds before it switches to a sketch.
    public static let sketchThreshold = 4096

    var threshold: Int { self == .exact ? .max : Self.sketchThreshold }
}

/// The events of one slice of a creator's timeline: counts per kind and the tagged user entries (`AudienceEntry`,
/// duplicates included), or, past the approximate mode's threshold, sketches of them.
struct Slice {
    var users: [UInt32] = []  // first: beside the pane's start, in the cache line an event touches first
    var sketch: AudienceSketch?
    var counts = KindCounts()

    /// Counts `kind` and adds `entry`, a tagged user entry (`AudienceEntry`), or `InteractionEvent.none`.
    @inline(__always)
    mutating func add(_ kind: InteractionKind, entry: UInt32, sketchThreshold: Int) {
        counts.add(kind)
        guard entry != InteractionEvent.none else { return }
        if sketch != nil {
            sketch!.add(entry)
            return
        }
        users.append(entry)
        if users.count >= sketchThreshold {
            var converted = AudienceSketch()
            converted.add(entries: users)
            sketch = converted
            users = []
        }
    }

    /// Folds `other` in (merging sessions), switching to a sketch when either side has one or the users pass the
    /// threshold.
    mutating func merge(_ other: Slice, sketchThreshold: Int) {
        counts.add(other.counts)
        if sketch == nil && other.sketch == nil && users.count + other.users.count < sketchThreshold {
            users.append(contentsOf: other.users)
            return
        }
        var combined = sketch ?? AudienceSketch()
        if let otherSketch = other.sketch { combined.merge(otherSketch) }
        combined.add(entries: users + other.users)
        sketch = combined
        users = []
    }
}
