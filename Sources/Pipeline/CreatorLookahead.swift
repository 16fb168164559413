import Engagement

/// The creator probes of the last few records hinted to a job (`EngagementJob.prefetch`): a probe pushed now comes
/// back `depth` pushes later, when its interner slot has had time to arrive in cache and the creator's id can be
/// looked up without waiting, to start loading that creator's window state in turn.
struct CreatorLookahead {
    /// Pushes between a probe going in and coming back out.
    static let depth = 8

    private var probes = [Interner.Probe?](repeating: nil, count: depth)
    private var next = 0

    /// Stores `probe` and returns the one pushed `depth` calls earlier.
    @inline(__always)
    mutating func push(_ probe: Interner.Probe?) -> Interner.Probe? {
        defer { next = next == Self.depth - 1 ? 0 : next + 1 }
        let earlier = probes[next]
        probes[next] = probe
        return earlier
    }
}
