/// The engagement of one creator in one closed window.
public struct WindowAggregate: Sendable, Equatable {
    /// Creates a result.
    public init(creator: UInt32, start: Int64, end: Int64, counts: KindCounts, distinctUsers: Int, score: Double,
                followers: Int64, returningUsers: Int? = nil) {
        self.creator = creator
        self.start = start
        self.end = end
        self.counts = counts
        self.distinctUsers = distinctUsers
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
    /// Distinct users who engaged (any counted kind) in the window.
    public var distinctUsers: Int
    /// Weighted engagement score.
    public var score: Double
    /// The creator's live follower count when the window closed: the last `followers` snapshot plus the follows
    /// minus unfollows processed since (may be negative when unfollows precede what the stream has seen).
    public var followers: Int64
    /// Users of the window who had engaged within the activity horizon before it; nil when not counted (no
    /// horizon configured, or the window's audience was sketched).
    public var returningUsers: Int?

    /// Users of the window with no engagement in the horizon before it; nil when returning users are not counted.
    public var newUsers: Int? { returningUsers.map { distinctUsers - $0 } }

    /// Follows minus unfollows in the window.
    public var netFollowerChange: Int { counts[.follow] - counts[.unfollow] }

    /// Distinct users per follower, or nil without a positive follower count.
    public var engagementRate: Double? { followers > 0 ? Double(distinctUsers) / Double(followers) : nil }

    /// Comments and replies per like: how much of the engagement is conversation; nil without likes.
    public var conversationPerLike: Double? {
        counts[.like] > 0 ? Double(counts[.comment] + counts[.reply]) / Double(counts[.like]) : nil
    }
}
