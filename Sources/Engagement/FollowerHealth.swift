/// A creator's follower health at one instant: who still engages and who went quiet.
public struct FollowerHealth: Sendable, Equatable {
    /// Interned creator id.
    public var creator: UInt32
    /// The instant the health describes (epoch ms).
    public var asOf: Int64
    /// Live follower count: the last `followers` snapshot plus follows minus unfollows since, or the tracked
    /// followers when the stream carried no snapshot.
    public var followers: Int64
    /// Followers the ledger knows individually (they followed while it watched).
    public var trackedFollowers: Int
    /// Tracked followers who followed or engaged within `dormant_after` before `asOf`.
    public var active: Int
    /// Tracked followers with no engagement (nor follow) within `dormant_after` before `asOf`.
    public var dormant: Int
    /// Tracked followers who turned dormant since the previous report.
    public var newlyDormant: Int
    /// Dormant followers who engaged again since the previous report.
    public var reactivated: Int
    /// Tracked followers who engaged since the previous report.
    public var engaged: Int

    /// Dormant share of the tracked followers, or nil without any.
    public var dormantShare: Double? { trackedFollowers > 0 ? Double(dormant) / Double(trackedFollowers) : nil }
    /// Followers who engaged since the previous report, per tracked follower; nil without any.
    public var engagementRate: Double? { trackedFollowers > 0 ? Double(engaged) / Double(trackedFollowers) : nil }
}
