/// HyperLogLog sketches of a slice's audience, one per figure of `AudienceCounts`: what the approximate mode keeps
/// instead of a user list once a slice holds `DistinctUsersMode.sketchThreshold` entries. One array reference, so a
/// pane holding an optional sketch stays as small as with a single sketch.
struct AudienceSketch: Sendable, Equatable {
    /// Users, engaged, reach, engaged followers: the order of `AudienceCounts` (and of snapshots).
    private(set) var parts: [HyperLogLog]

    /// Creates empty sketches.
    init() { parts = Array(repeating: HyperLogLog(), count: 4) }

    /// The sketch of `parts` (four, in the order above).
    init(parts: [HyperLogLog]) {
        precondition(parts.count == 4)
        self.parts = parts
    }

    /// Adds one tagged user entry (`AudienceEntry`).
    @inline(__always)
    mutating func add(_ entry: UInt32) {
        let hash = HyperLogLog.mix(AudienceEntry.user(entry))
        parts[0].add(hash: hash)
        if entry & AudienceEntry.engaged != 0 { parts[1].add(hash: hash) }
        if entry & AudienceEntry.reached != 0 { parts[2].add(hash: hash) }
        if entry & AudienceEntry.engagedFollower != 0 { parts[3].add(hash: hash) }
    }

    /// Adds tagged user entries.
    mutating func add(entries: some Sequence<UInt32>) {
        for entry in entries { add(entry) }
    }

    /// Folds `other` in: the result estimates the union of both audiences.
    mutating func merge(_ other: AudienceSketch) {
        for index in parts.indices { parts[index].merge(other.parts[index]) }
    }

    /// The estimated audience.
    var estimate: AudienceCounts {
        AudienceCounts(users: parts[0].estimate, engaged: parts[1].estimate, reach: parts[2].estimate,
                       engagedFollowers: parts[3].estimate)
    }
}
