/// A user id in a window slice's user list, tagged with what that event made the user: engaged (an engaged kind),
/// reached (any kind but follow and unfollow), an engaged follower (engaged while following the creator). The tags
/// live in the id's three top bits, so one list and one counting pass give every audience figure of a window.
public enum AudienceEntry {
    /// The tag of an engaged-kind event.
    static let engaged: UInt32 = 1 << 31
    /// The tag of an event that reached the user (every kind but follow and unfollow).
    static let reached: UInt32 = 1 << 30
    /// The tag of an engaged-kind event by a follower of the creator.
    static let engagedFollower: UInt32 = 1 << 29
    /// The bits holding the user id.
    static let userMask: UInt32 = engagedFollower - 1
    /// The largest user id an entry holds (ids are dense interner ids; a counter slot stores id + 1 beside the tags).
    public static let maximumUser: UInt32 = userMask - 1

    /// The entry of `user`'s `kind` event; `follower` says whether the user followed the creator at that moment.
    @inline(__always)
    public static func make(user: UInt32, kind: InteractionKind, engagedKinds: EngagedKinds, follower: Bool) -> UInt32 {
        let engages = engagedKinds.contains(kind)
        let reaches = kind != .follow && kind != .unfollow
        return user | (engages ? engaged : 0) | (reaches ? reached : 0) | (engages && follower ? engagedFollower : 0)
    }

    /// The user id of `entry`.
    @inline(__always)
    public static func user(_ entry: UInt32) -> UInt32 { entry & userMask }

    /// `entry` with its user renumbered by `mapping` (`mapping[old]` = new id), its tags kept.
    @inline(__always)
    static func remap(_ entry: UInt32, _ mapping: [UInt32]) -> UInt32 { mapping[Int(user(entry))] | entry & ~userMask }

    /// Whether `entry` is an engaged-kind event.
    @inline(__always)
    public static func isEngaged(_ entry: UInt32) -> Bool { entry & engaged != 0 }
}

/// A window's audience: distinct users by what they did.
public struct AudienceCounts: Sendable, Equatable {
    /// Users with any event (follows, unfollows and views included).
    public var users = 0
    /// Users with at least one engaged-kind event.
    public var engaged = 0
    /// Users with any event but follow and unfollow (views included).
    public var reach = 0
    /// Users with an engaged-kind event while they followed the creator.
    public var engagedFollowers = 0

    /// Creates counts.
    public init(users: Int = 0, engaged: Int = 0, reach: Int = 0, engagedFollowers: Int = 0) {
        self.users = users
        self.engaged = engaged
        self.reach = reach
        self.engagedFollowers = engagedFollowers
    }

    /// Counts what an entry added to a window: `news` holds the tags the user had not shown before in the count,
    /// plus `newUser` when the user was not in it at all.
    @inline(__always)
    mutating func add(news: UInt32) {
        users += Int(news & Self.newUser)
        engaged += Int(news >> 31)
        reach += Int(news >> 30 & 1)
        engagedFollowers += Int(news >> 29 & 1)
    }

    /// The bit of `news` that marks a user new to the count (below the user-id bits' top, never a tag).
    static let newUser: UInt32 = 1
}
