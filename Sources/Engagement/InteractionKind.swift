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

    /// Recognises a wire name from raw bytes without allocating.
    init?(bytes: UnsafeRawBufferPointer) {
        for kind in Self.allCases where Self.wireNames[Int(kind.rawValue)].elementsEqual(bytes) {
            self = kind
            return
        }
        return nil
    }

    private static let wireNames: [[UInt8]] = allCases.map { Array($0.name.utf8) }
}
