import Detectors

/// Which detectors a job runs, and how.
public struct DetectorSettings: Sendable, Equatable {
    /// The community-spike detector, fed every creator's closed windows that start on a multiple of the window size
    /// (a tumbling series, so no event is counted twice); nil = off.
    public var spikes: SpikeSettings? = SpikeSettings()
    /// Follower health reports and the drift detector on each creator's dormant share; nil = off.
    public var followers: FollowerSettings? = FollowerSettings()

    /// Creates the defaults: both on.
    public init() {}

    /// No detectors.
    public static let none: DetectorSettings = {
        var settings = DetectorSettings()
        settings.spikes = nil
        settings.followers = nil
        return settings
    }()
}

/// Settings of the follower ledger, its health reports and the drift detector.
public struct FollowerSettings: Sendable, Equatable {
    /// A follower is dormant after this long without engaging (milliseconds).
    public var dormantAfter: Int64 = 30 * 86_400_000
    /// A health report per creator every this much event time (milliseconds), at epoch-aligned instants.
    public var reportEvery: Int64 = 86_400_000
    /// The change detector on the dormant-share series: its noise scale is one percentage point, a new level may lie
    /// anywhere in the share's range (a weak level prior), and it is reported once it has held for a week of reports
    /// (the TCPD-tuned 20 points would leave it blind for three weeks after the ledger's own start-up step).
    public var drift: ChangePointSettings = {
        var settings = ChangePointSettings()
        settings.scale = 0.01
        settings.minimumDrop = 7
        settings.levelPrecision = 0.001
        return settings
    }()

    /// The defaults.
    public init() {}
}
