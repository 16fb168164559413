import Synchronization

/// What the ops endpoint knows about the worker loop: the one lock-protected snapshot the loop shares with the
/// async side. The loop beats once per iteration (at most every poll timeout, 100 ms); the endpoint reads.
public final class WorkerHealth: Sendable {
    /// One reading of the loop's state.
    public struct Snapshot: Sendable, Equatable {
        /// Whether the loop has started and not yet ended.
        public var running = false
        /// When the loop last completed an iteration.
        public var lastBeat: ContinuousClock.Instant?
        /// Source partitions currently assigned to the worker.
        public var assignedPartitions = 0
    }

    /// The verdict for one probe, with a reason people can read.
    public struct Verdict: Sendable, Equatable {
        /// Whether the probe passes (HTTP 200) or fails (503).
        public var passes: Bool
        /// One line saying why.
        public var reason: String
    }

    private let state = Mutex(Snapshot())
    /// How long the loop may go without an iteration before it counts as stalled.
    public let stallLimit: Duration

    /// - Parameter stallLimit: a loop silent for longer is neither alive nor ready. Its iterations end at least
    ///   every poll timeout, but a flush may wait for a slow broker, so the default leaves ample room.
    public init(stallLimit: Duration = .seconds(30)) {
        self.stallLimit = stallLimit
    }

    /// The current snapshot.
    public var snapshot: Snapshot { state.withLock { $0 } }

    func started() { state.withLock { $0.running = true; $0.lastBeat = .now } }
    func stopped() { state.withLock { $0.running = false; $0.assignedPartitions = 0 } }
    func beat() { state.withLock { $0.lastBeat = .now } }
    func assigned(_ count: Int) { state.withLock { $0.assignedPartitions = count } }

    /// Liveness (`/healthz`): the loop runs and iterated within the stall limit.
    public func liveness(now: ContinuousClock.Instant = .now) -> Verdict {
        let current = snapshot
        guard current.running, let beat = current.lastBeat else { return Verdict(passes: false, reason: "worker loop not running") }
        let silence = now - beat
        guard silence <= stallLimit else { return Verdict(passes: false, reason: "worker loop stalled for \(silence)") }
        return Verdict(passes: true, reason: "worker loop alive")
    }

    /// Readiness (`/readyz`): alive, and the group assigned the worker at least one partition.
    public func readiness(now: ContinuousClock.Instant = .now) -> Verdict {
        let alive = liveness(now: now)
        guard alive.passes else { return alive }
        let assigned = snapshot.assignedPartitions
        guard assigned > 0 else { return Verdict(passes: false, reason: "no partitions assigned") }
        return Verdict(passes: true, reason: "\(assigned) partitions assigned")
    }
}
