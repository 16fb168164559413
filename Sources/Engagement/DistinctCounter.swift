/// Counts distinct user ids across several lists without hashing: a stamp per user id, bumped per count.
struct DistinctCounter {
    private var stamps: [UInt32] = []
    private var stamp: UInt32 = 0

    /// Starts a new count.
    mutating func begin() {
        stamp &+= 1
        if stamp == 0 {  // wrapped: clear so no old stamp can match
            for index in stamps.indices { stamps[index] = 0 }
            stamp = 1
        }
    }

    /// Adds `user` to the current count; returns whether it was new.
    @inline(__always)
    mutating func add(_ user: UInt32) -> Bool {
        let index = Int(user)
        if index >= stamps.count { stamps.append(contentsOf: repeatElement(0, count: index + 1 - stamps.count + 1024)) }
        guard stamps[index] != stamp else { return false }
        stamps[index] = stamp
        return true
    }

    /// Adds `users` to the current count; returns how many were new.
    mutating func add(_ users: some Sequence<UInt32>) -> Int {
        var added = 0
        for user in users where add(user) { added += 1 }
        return added
    }

    /// The distinct users across `slices`: exact while every slice holds its users as a list, estimated with
    /// HyperLogLog once any slice has switched to a sketch.
    mutating func count(_ slices: some Sequence<Slice>) -> Int {
        var merged: HyperLogLog?
        for slice in slices {
            if let sketch = slice.sketch {
                if merged == nil { merged = HyperLogLog() }
                merged!.merge(sketch)
            }
        }
        guard var merged else {
            begin()
            return slices.reduce(0) { $0 + add($1.users) }
        }
        for slice in slices where slice.sketch == nil { merged.add(users: slice.users) }
        return merged.estimate
    }

    /// Forgets every stamp (after user ids were renumbered).
    mutating func reset() {
        stamps = []
        stamp = 0
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

/// The events of one slice of a creator's timeline: counts per kind and the users seen (duplicates included),
/// or, past the approximate mode's threshold, a sketch of them.
struct Slice {
    var users: [UInt32] = []  // first: beside the pane's start, in the cache line an event touches first
    var sketch: HyperLogLog?
    var counts = KindCounts()

    @inline(__always)
    mutating func add(_ event: InteractionEvent, sketchThreshold: Int) {
        counts.add(event.kind)
        guard event.user != InteractionEvent.none else { return }
        if sketch != nil {
            sketch!.add(hash: HyperLogLog.mix(event.user))
            return
        }
        users.append(event.user)
        if users.count >= sketchThreshold {
            var converted = HyperLogLog()
            converted.add(users: users)
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
        var combined = sketch ?? HyperLogLog()
        if let otherSketch = other.sketch { combined.merge(otherSketch) }
        combined.add(users: users + other.users)
        sketch = combined
        users = []
    }
}
