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

    /// Adds `users` to the current count; returns how many were new.
    mutating func add(_ users: [UInt32]) -> Int {
        var added = 0
        for user in users {
            let index = Int(user)
            if index >= stamps.count { stamps.append(contentsOf: repeatElement(0, count: index + 1 - stamps.count + 1024)) }
            if stamps[index] != stamp {
                stamps[index] = stamp
                added += 1
            }
        }
        return added
    }

    /// Forgets every stamp (after user ids were renumbered).
    mutating func reset() {
        stamps = []
        stamp = 0
    }
}

/// The events of one slice of a creator's timeline: counts per kind and the users seen, duplicates included.
struct Slice {
    var counts = KindCounts()
    var users: [UInt32] = []

    mutating func add(_ event: InteractionEvent) {
        counts.add(event.kind)
        if event.user != InteractionEvent.none { users.append(event.user) }
    }
}
