/// One channel of a burst: what was observed over the burst windows, what the baseline expected, and the excess in
/// standard deviations.
public struct BurstReading: Sendable, Equatable {
    /// The sum over the burst windows.
    public var observed: Double
    /// The baseline's expectation for the same windows.
    public var expected: Double
    /// `(observed − expected) / σ`, σ of a negative-binomial count.
    public var zScore: Double
}

/// A spike that just started.
public struct SpikeStart: Sendable, Equatable {
    /// Start of the first elevated window of the burst (epoch ms).
    public var onset: Int64
    /// Start of the window whose arrival raised the alert (epoch ms).
    public var detectedAt: Int64
    /// Distinct engaged users over the burst windows.
    public var audience: BurstReading
    /// Engagement score over the burst windows, when the detector watches it.
    public var score: BurstReading?
    /// The smaller of the channels' z-scores: a community spike needs more people and more engagement.
    public var severity: Double
}

/// A spike that ended.
public struct SpikeEnd: Sendable, Equatable {
    /// Start of the spike's first elevated window (epoch ms).
    public var onset: Int64
    /// End of its last elevated window (epoch ms, exclusive).
    public var end: Int64
    /// The largest window audience during the spike.
    public var peakAudience: Double
    /// The largest window score during the spike (0 when the score is not watched).
    public var peakScore: Double
    /// Audience above expectation, summed over the spike's windows.
    public var excessAudience: Double
    /// Score above expectation, summed over the spike's windows (0 when the score is not watched).
    public var excessScore: Double
    /// `end − onset`, milliseconds.
    public var duration: Int64 { end - onset }
}

/// What the spike detector concluded from a window.
public enum SpikeSignal: Sendable, Equatable {
    case started(SpikeStart)
    case ended(SpikeEnd)
}
