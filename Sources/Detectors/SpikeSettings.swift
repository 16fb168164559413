/// Settings of the community-spike detector. One default set serves every creator; `threshold` is the sensitivity
/// knob. Lengths are counted in windows of the series the detector is fed (one window = one step), except the daily
/// profile, which follows the clock.
///
/// The defaults were tuned on the five NAB `realTweets` series (5-minute counts) and score 84.3 there (standard
/// profile); see the README's detector section.
public struct SpikeSettings: Sendable, Equatable {
    /// How far above its baseline a burst must be, in standard deviations of the expected count, to start a spike.
    /// Lower is more sensitive: 5 alerts on smaller bursts, 9 only on the largest.
    public var threshold = 7.0
    /// How many trailing windows a burst is summed over before it is compared with the baseline.
    public var burstWindows = 24
    /// How fast the baseline follows the series: the weight of each new window (0.001 ≈ a half-life of 693 windows).
    public var baselineRate = 0.001
    /// Extra variance beyond count noise, as a share of the squared expectation (negative-binomial dispersion):
    /// real engagement varies more than a Poisson count.
    public var dispersion = 0.2
    /// Windows are clipped at this many standard deviations above the baseline before the baseline learns from
    /// them, so a spike does not poison the baseline it is measured against.
    public var clip = 2.0
    /// Windows a creator's detector must have watched before it may alert.
    public var warmupWindows = 288
    /// Windows after a spike started during which no new spike may start.
    public var cooldownWindows = 288
    /// The expected count of a window with no history at all: keeps tiny series from alerting on a handful of events.
    public var expectationFloor = 0.1
    /// Slots of the daily profile (24 = one per hour of the UTC day).
    public var dailySlots = 24
    /// How much of the daily profile each day of data rewrites.
    public var dailyProfileRate = 0.1
    /// A spike ends after this many consecutive windows that are no longer elevated (a window is elevated when its
    /// audience is more than one standard deviation above its expectation).
    public var quietWindowsToEnd = 3
    /// A sudden jump may start a spike before the burst sum has caught up: when both channels (audience and score)
    /// are watched, a trailing run of at least two (at most `jumpWindows`) elevated windows is scored like a burst
    /// and starts a spike when both channels pass `jumpFactor × threshold`. One window alone is a blip, not a jump;
    /// a series with a single channel has no second witness and uses the burst test alone.
    public var jumpWindows = 3
    /// How much stricter than `threshold` the jump test is.
    public var jumpFactor = 1.5

    /// The default settings.
    public init() {}
}
