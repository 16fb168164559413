/// The engagement of one creator in one closed window.
public struct WindowAggregate: Sendable, Equatable {
    /// Interned creator id (see `EventDecoder.creators`).
    public var creator: UInt32
    /// Window start, epoch milliseconds (inclusive).
    public var start: Int64
    /// Window end, epoch milliseconds (exclusive).
    public var end: Int64
    /// Events per kind.
    public var counts: KindCounts
    /// Distinct users who engaged (any counted kind) in the window.
    public var distinctUsers: Int
    /// Weighted engagement score.
    public var score: Double
}
