/// What a user did to a creator. Raw values index per-kind counters.
public enum InteractionKind: UInt8, CaseIterable, Sendable {
    case view = 0, like, comment, reply, share, save, mention, follow, unfollow
    /// A follower-count snapshot (`count` carries the number), not an engagement.
    case followers

    /// The wire name (`"like"`, …).
    public var name: String {
        switch self {
        case .view: "view"
        case .like: "like"
        case .comment: "comment"
        case .reply: "reply"
        case .share: "share"
        case .save: "save"
        case .mention: "mention"
        case .follow: "follow"
        case .unfollow: "unfollow"
        case .followers: "followers"
        }
    }

    /// The kinds counted per window, in output order.
    public static let counted: [InteractionKind] = [.view, .like, .comment, .reply, .share, .save, .mention, .follow, .unfollow]

    /// Whether the user engaged with the creator's content (counts toward distinct engaged users).
    public var isEngagement: Bool {
        switch self {
        case .view, .like, .comment, .reply, .share, .save, .mention: true
        case .follow, .unfollow, .followers: false
        }
    }

    /// Whether the event moves the follower count (follow, unfollow, a `followers` snapshot).
    @inline(__always)
    public var changesFollowers: Bool { rawValue >= InteractionKind.follow.rawValue }

    /// Recognises a wire name from raw bytes without allocating: the bytes, read as little-endian integers
    /// (`ByteWords`), are compared with the names' constants.
    init?(bytes: UnsafeRawBufferPointer) {
        let head = ByteWords.head(bytes)
        switch (bytes.count, head) {
        case (4, 0x7765_6976): self = .view
        case (4, 0x656B_696C): self = .like
        case (7, 0x74_6E65_6D6D_6F63): self = .comment
        case (5, 0x79_6C70_6572): self = .reply
        case (5, 0x65_7261_6873): self = .share
        case (4, 0x6576_6173): self = .save
        case (7, 0x6E_6F69_746E_656D): self = .mention
        case (6, 0x776F_6C6C_6F66): self = .follow
        case (8, 0x776F_6C6C_6F66_6E75): self = .unfollow
        case (9, 0x7265_776F_6C6C_6F66) where bytes[8] == 0x73: self = .followers
        default: return nil
        }
    }
}
