import Engagement

/// The compiled engagement job: decode → validate → window → aggregate, over raw record values. One concrete
/// value, no per-event dynamic dispatch; the Kafka worker and `resonance replay` both drive it.
public struct EngagementJob {
    /// What to do with records whose `kind` is unknown.
    public enum UnknownKindPolicy: String, Sendable {
        /// Reject them as `unknown_kind` (dead letters).
        case reject
        /// Skip them, but let their timestamps advance stream time (forward compatibility, end-of-stream sentinels).
        case ignore
    }

    /// The job's settings.
    public struct Settings: Sendable {
        public var windows: HoppingWindows
        public var streamTime: StreamTimeScope = .partition
        public var weights: EngagementWeights = .standard
        public var unknownKinds: UnknownKindPolicy = .reject
        public var maxEventBytes = 64 * 1024

        /// Creates settings for `windows`.
        public init(windows: HoppingWindows) { self.windows = windows }
    }

    /// The decoder, with the interned ids results refer to.
    public private(set) var decoder: EventDecoder
    /// The window stage.
    public private(set) var aggregator: HoppingWindowAggregator
    let settings: Settings

    /// Creates a job.
    public init(settings: Settings) {
        self.settings = settings
        decoder = EventDecoder(maxEventBytes: settings.maxEventBytes)
        aggregator = HoppingWindowAggregator(windows: settings.windows, scope: settings.streamTime, weights: settings.weights)
    }

    /// Processes one record value from `partition`: emits closed windows, returns the rejection if the record is
    /// bad (the caller dead-letters it), nil otherwise.
    public mutating func process(_ value: UnsafeRawBufferPointer?, partition: Int32 = 0, emit: (WindowAggregate) -> Void) -> Rejection? {
        switch decoder.decode(value) {
        case .event(let event):
            aggregator.add(event, partition: partition, emit: emit)
            return nil
        case .unknownKind(let timestamp, let creator):
            guard settings.unknownKinds == .ignore else { return Rejection(.unknownKind, field: "kind") }
            aggregator.advance(creator: creator, timestamp: timestamp, partition: partition, emit: emit)
            return nil
        case .rejected(let rejection):
            return rejection
        }
    }
}
