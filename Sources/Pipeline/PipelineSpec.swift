import Engagement

/// A validated pipeline file (`Pipelines/*.yaml`): what to compute, never where to connect.
public struct PipelineSpec: Sendable {
    /// The pipeline's name (used as the consumer group prefix and in dead-letter headers).
    public var name: String
    /// The input topic.
    public var sourceTopic: String
    /// The consumer group workers join.
    public var group: String
    /// Milliseconds between offset commits (`source.commit_every`): a worker commits the offsets of the batches
    /// whose every result and dead letter is acknowledged, without waiting for later ones; 0 tries after every batch.
    public var commitEvery: Int64 = 100
    /// The result topics by role.
    public var sinks: Sinks
    /// The engagement job's settings.
    public var job: EngagementJob.Settings
    /// librdkafka properties passed verbatim to every client of the pipeline.
    public var kafka: [String: String]
    /// Where workers checkpoint per-partition state, and how often.
    public var state: State

    /// State checkpointing.
    public struct State: Sendable, Equatable {
        /// The checkpoint topic (compacted on a real cluster); nil means `GROUP-state` for the worker's group, so
        /// two groups running the same pipeline never share state.
        public var topic: String?
        /// Milliseconds between checkpoints of a partition that changed.
        public var checkpointEvery: Int64
    }

    /// Where results and rejected input go.
    public struct Sinks: Sendable, Equatable {
        /// Closed-window engagement aggregates.
        public var aggregates: String
        /// Rejected input, with the reason in headers.
        public var deadLetters: String
        /// `spike_started` / `spike_ended` records, when the spike detector runs.
        public var spikes: String?
        /// `follower_health` reports, when the follower detector runs.
        public var followerHealth: String?
        /// `follower_drift` alerts, when the follower detector runs.
        public var followerDrift: String?

        /// The topic a detector result goes to.
        public func topic(for signal: JobSignal) -> String? {
            switch signal {
            case .spikeStarted, .spikeEnded: spikes
            case .followerHealth: followerHealth
            case .followerDrift: followerDrift
            }
        }
    }
}
