/// The interaction kinds that count as engagement: a person did something with the content. Views are reach,
/// follows and unfollows move the follower count; neither is engagement unless a pipeline says so
/// (`aggregate.engaged_kinds`).
public struct EngagedKinds: Sendable, Equatable {
    private var mask: UInt16

    /// Like, comment, reply, share, save and mention: the default.
    public static let standard = EngagedKinds([.like, .comment, .reply, .share, .save, .mention])

    /// Every counted kind, views, follows and unfollows included: the shared benchmark's definition of a user.
    public static let all = EngagedKinds(InteractionKind.counted)

    /// Creates the set of `kinds` (a `followers` snapshot is never engagement and is ignored).
    public init(_ kinds: some Sequence<InteractionKind>) {
        mask = 0
        for kind in kinds where kind != .followers { mask |= 1 << UInt16(kind.rawValue) }
    }

    /// Whether `kind` is engagement.
    @inline(__always)
    public func contains(_ kind: InteractionKind) -> Bool { mask & (1 << UInt16(kind.rawValue)) != 0 }

    /// The kinds, in output order.
    public var kinds: [InteractionKind] { InteractionKind.counted.filter(contains) }
}
