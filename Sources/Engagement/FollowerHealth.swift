/// A creator's follower health at one instant: how many followers, how many of them engage, how many are dormant.
public struct FollowerHealth: Sendable, Equatable {
    /// Interned creator id.
    public var creator: UInt32
    /// The instant the health describes (epoch ms).
    public var asOf: Int64
    /// Live follower count: the last `followers` snapshot plus follows minus unfollows since, never negative and
    /// never below the tracked followers (`FollowerLedger`).
    public var followers: Int64
    /// Followers the ledger knows individually (they followed while it watched).
    public var trackedFollowers: Int
    /// Tracked followers who followed or did an engaged-kind event within `dormant_after` before `asOf`.
    public var active: Int
    /// Tracked followers with no engaged-kind event (nor follow) within `dormant_after` before `asOf`.
    public var dormant: Int
    /// Tracked followers who turned dormant since the previous report.
    public var newlyDormant: Int
    /// Dormant followers who engaged again since the previous report.
    public var reactivated: Int
    /// Tracked followers who engaged since the previous report.
    public var engaged: Int
    /// Tracked followers whose last engaged-kind event lies within the 7 days before `asOf`.
    public var engagedFollowers7d: Int
    /// Tracked followers whose last engaged-kind event lies within the 30 days before `asOf`.
    public var engagedFollowers30d: Int
    /// Unfollows (since the ledger started) that neither a known follower nor a snapshot could absorb.
    public var unmatchedUnfollows: Int64
    /// The previous report's figures for this creator, nil for its first report.
    public var previous: Figures?

    /// The figures a report compares with the previous one.
    public struct Figures: Sendable, Equatable {
        /// The follower count.
        public var followers: Int64
        /// Tracked followers engaged within 7 days.
        public var engagedFollowers7d: Int
        /// Tracked followers engaged within 30 days.
        public var engagedFollowers30d: Int
        /// The dormant share, nil without tracked followers.
        public var dormantShare: Double?

        /// Creates figures.
        public init(followers: Int64, engagedFollowers7d: Int, engagedFollowers30d: Int, dormantShare: Double?) {
            self.followers = followers
            self.engagedFollowers7d = engagedFollowers7d
            self.engagedFollowers30d = engagedFollowers30d
            self.dormantShare = dormantShare
        }
    }

    /// Creates a report.
    public init(creator: UInt32, asOf: Int64, followers: Int64, trackedFollowers: Int, active: Int, dormant: Int,
                newlyDormant: Int, reactivated: Int, engaged: Int, engagedFollowers7d: Int = 0,
                engagedFollowers30d: Int = 0, unmatchedUnfollows: Int64 = 0, previous: Figures? = nil) {
        self.creator = creator
        self.asOf = asOf
        self.followers = followers
        self.trackedFollowers = trackedFollowers
        self.active = active
        self.dormant = dormant
        self.newlyDormant = newlyDormant
        self.reactivated = reactivated
        self.engaged = engaged
        self.engagedFollowers7d = engagedFollowers7d
        self.engagedFollowers30d = engagedFollowers30d
        self.unmatchedUnfollows = unmatchedUnfollows
        self.previous = previous
    }

    /// Dormant share of the tracked followers, or nil without any.
    public var dormantShare: Double? { trackedFollowers > 0 ? Double(dormant) / Double(trackedFollowers) : nil }
    /// Followers who engaged since the previous report, per tracked follower; nil without any.
    public var engagementRate: Double? { trackedFollowers > 0 ? Double(engaged) / Double(trackedFollowers) : nil }
    /// Share of the followers engaged within 7 days, in [0, 1]; nil without a positive follower count.
    public var engagedShare7d: Double? { followers > 0 ? Double(engagedFollowers7d) / Double(followers) : nil }
    /// Share of the followers engaged within 30 days, in [0, 1]; nil without a positive follower count.
    public var engagedShare30d: Double? { followers > 0 ? Double(engagedFollowers30d) / Double(followers) : nil }
}
