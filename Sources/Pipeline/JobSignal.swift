import Detectors
import Engagement

/// A detector result of a job, besides window aggregates.
public enum JobSignal: Sendable, Equatable {
    /// A community spike started for `creator`.
    case spikeStarted(creator: UInt32, SpikeStart, SpikeContext)
    /// A community spike ended for `creator` (and its `community` tag, when the spike was a tag's).
    case spikeEnded(creator: UInt32, community: UInt32?, SpikeEnd)
    /// A follower health report.
    case followerHealth(FollowerHealth)
    /// A rise in a creator's dormant share.
    case followerDrift(FollowerDrift)
}

/// What a starting spike is made of: the window that raised it, its kinds and posts by weighted contribution.
public struct SpikeContext: Sendable, Equatable {
    /// The interned `community` tag whose spike it is, or nil for a creator-wide spike.
    public var community: UInt32?
    /// End of the window that raised the alert (epoch ms).
    public var windowEnd: Int64
    /// Kinds of that window with their score contributions, largest first (those contributing nothing left out).
    public var topKinds: [KindShare]
    /// Posts drawing the most recent engagement, heaviest first (interned post ids, weights).
    public var topPosts: [PostShare]

    /// A kind and its contribution to the window's score.
    public struct KindShare: Sendable, Equatable {
        public var kind: InteractionKind
        public var score: Double
    }

    /// A post and its recent weighted engagement.
    public struct PostShare: Sendable, Equatable {
        public var post: UInt32
        public var weight: Double
    }
}

/// A rise in a creator's dormant-follower share.
public struct FollowerDrift: Sendable, Equatable {
    /// Interned creator id.
    public var creator: UInt32
    /// The health report at which the new level began (epoch ms).
    public var onset: Int64
    /// The health report that revealed the change (epoch ms).
    public var detectedAt: Int64
    /// Mean dormant share before the change.
    public var shareBefore: Double
    /// Mean dormant share from the change to its detection.
    public var shareAfter: Double
    /// Posterior probability that a new level began at or after the onset (two reports of slack).
    public var confidence: Double
}
