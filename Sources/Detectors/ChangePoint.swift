/// A change found in a series.
public struct ChangePoint: Sendable, Equatable {
    /// Position (0-based) of the first point of the new segment.
    public var index: Int
    /// Position of the point whose arrival revealed the change.
    public var detectedAt: Int
    /// Median of up to `minimumDrop` points before the change.
    public var before: Double
    /// Median of the points from the change to `detectedAt`.
    public var after: Double
    /// Posterior probability that a segment started at or after `index − 2`.
    public var confidence: Double
}
