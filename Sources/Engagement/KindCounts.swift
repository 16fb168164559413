/// A counter per `InteractionKind`, added and combined as one vector.
public struct KindCounts: Sendable, Equatable {
    var lanes = SIMD16<Int32>()

    /// Creates zero counts.
    public init() {}

    /// The count of `kind`.
    public subscript(kind: InteractionKind) -> Int {
        Int(lanes[Int(kind.rawValue)])
    }

    /// Counts one `kind`.
    @inline(__always)
    public mutating func add(_ kind: InteractionKind) { lanes[Int(kind.rawValue)] &+= 1 }

    @inline(__always)
    mutating func add(_ other: KindCounts) { lanes &+= other.lanes }

    /// The number of counted events.
    public var total: Int { Int(lanes.wrappedSum()) }
}

/// Engagement weights per kind, held in thousandths so a score is one exact integer sum divided once.
public struct EngagementWeights: Sendable, Equatable {
    var milli = SIMD16<Int64>()

    /// The defaults: like 1, comment 3, reply 3, share 5, save 2, mention 2, view 0.1, follow/unfollow 0.
    public static let standard = EngagementWeights([
        .like: 1, .comment: 3, .reply: 3, .share: 5, .save: 2, .mention: 2, .view: 0.1,
    ])

    /// The largest weight a kind may have: a window's score then stays exact in 64 bits for any count a window can
    /// hold (below 2^31 per kind).
    public static let maximum: Double = 1000

    /// Creates weights (each at most `maximum`); kinds not named weigh 0. Weights are rounded to thousandths.
    public init(_ weights: [InteractionKind: Double]) {
        for (kind, weight) in weights {
            precondition(weight >= 0 && weight <= Self.maximum, "weight \(weight) of \(kind) outside 0...\(Self.maximum)")
            milli[Int(kind.rawValue)] = Int64((weight * 1000).rounded())
        }
    }

    /// The weight of one `kind` interaction.
    public subscript(kind: InteractionKind) -> Double { Double(milli[Int(kind.rawValue)]) / 1000 }

    /// The weighted score of `counts` (its counted kinds): one vector multiply and sum — counts below 2^31 times
    /// weights of at most 10^6 thousandths, over nine kinds, stay below 2^55.
    public func score(_ counts: KindCounts) -> Double {
        Double((SIMD16<Int64>(truncatingIfNeeded: counts.lanes) &* milli & Self.countedLanes).wrappedSum()) / 1000
    }

    /// All ones in the lanes of the kinds counted per window, zero elsewhere.
    private static let countedLanes: SIMD16<Int64> = {
        var lanes = SIMD16<Int64>()
        for kind in InteractionKind.counted { lanes[Int(kind.rawValue)] = -1 }
        return lanes
    }()
}
