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

    /// Creates weights; kinds not named weigh 0. Weights are rounded to thousandths.
    public init(_ weights: [InteractionKind: Double]) {
        for (kind, weight) in weights { milli[Int(kind.rawValue)] = Int64((weight * 1000).rounded()) }
    }

    /// The weight of one `kind` interaction.
    public subscript(kind: InteractionKind) -> Double { Double(milli[Int(kind.rawValue)]) / 1000 }

    /// The weighted score of `counts`.
    public func score(_ counts: KindCounts) -> Double {
        var sum: Int64 = 0
        for kind in InteractionKind.counted { sum += Int64(counts.lanes[Int(kind.rawValue)]) * milli[Int(kind.rawValue)] }
        return Double(sum) / 1000
    }
}
