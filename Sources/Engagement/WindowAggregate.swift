/// The engagement of one creator in one closed window.
public struct WindowAggregate: Sendable, Equatable {
    /// Creates a result; `engagedFollowers` is nil when the job does not know followers individually.
    public init(creator: UInt32, start: Int64, end: Int64, counts: KindCounts, audience: AudienceCounts, score: Double,
                followers: Int64, followersKnown: Bool = false, returningUsers: Int? = nil) {
        self.creator = creator
        self.start = start
        self.end = end
        self.counts = counts
        self.distinctUsers = audience.users
        self.engagedUsers = audience.engaged
        self.reach = audience.reach
        self.engagedFollowers = followersKnown ? min(audience.engagedFollowers, Int(clamping: followers)) : nil
        self.score = score
        self.followers = followers
        self.returningUsers = returningUsers
    }

    /// Interned creator id (see `EventDecoder.creators`).
    public var creator: UInt32
    /// Window start, epoch milliseconds (inclusive).
    public var start: Int64
    /// Window end, epoch milliseconds (exclusive).
    public var end: Int64
    /// Events per kind.
    public var counts: KindCounts
    /// Distinct users with any event in the window, follows, unfollows and views included (the shared
    /// benchmark's count).
    public var distinctUsers: Int
    /// Distinct users with at least one engaged-kind event (`aggregate.engaged_kinds`).
    public var engagedUsers: Int
    /// Distinct users with any event but follow and unfollow: who saw or touched the content, views included.
    public var reach: Int
    /// Engaged users who followed the creator when they engaged; nil when the job keeps no follower ledger
    /// (`detectors.followers`), which is what knows followers by name. At most `followers`.
    public var engagedFollowers: Int?
    /// Weighted engagement score.
    public var score: Double
    /// The creator's follower count when the window closed (`FollowerLedger.followers(of:)`): never negative.
    public var followers: Int64
    /// Engaged users of the window who had engaged within the activity horizon before it; nil when not counted (no
    /// horizon configured, or the window's audience was sketched).
    public var returningUsers: Int?

    /// Sets the follower count after the window was built, capping engaged followers at it (nil when the job does
    /// not know followers by name).
    mutating func setFollowers(_ count: Int64, known: Bool) {
        followers = count
        engagedFollowers = known ? min(engagedFollowers ?? 0, Int(clamping: count)) : nil
    }

    /// Engaged users of the window with no engagement in the horizon before it; nil when returning users are not
    /// counted.
    public var newUsers: Int? { returningUsers.map { engagedUsers - $0 } }

    /// Follows minus unfollows in the window.
    public var netFollowerChange: Int { counts[.follow] - counts[.unfollow] }

    /// Engaged users per follower, or nil without a positive follower count (it may exceed 1: people who do not
    /// follow engage too).
    public var engagementRate: Double? { followers > 0 ? Double(engagedUsers) / Double(followers) : nil }

    /// The share of the followers who engaged in the window, in [0, 1]; nil without a positive follower count or
    /// without a follower ledger.
    public var engagedFollowerShare: Double? {
        guard followers > 0, let engagedFollowers else { return nil }
        return Double(engagedFollowers) / Double(followers)
    }

    /// Comments and replies per like: how much of the engagement is conversation; nil without likes.
    public var conversationPerLike: Double? {
        counts[.like] > 0 ? Double(counts[.comment] + counts[.reply]) / Double(counts[.like]) : nil
    }
}
