/// What a worker has done since it started; read by its periodic log line and its summary.
public struct WorkerStatistics: Sendable, CustomStringConvertible {
    /// Records consumed from the source topic.
    public var recordsIn = 0
    /// Window results produced.
    public var resultsOut = 0
    /// Detector results produced, per sink topic.
    public var signalsOutBySink: [String: Int] = [:]
    /// Detector results produced: spikes, follower health reports, drifts.
    public var signalsOut: Int { signalsOutBySink.values.reduce(0, +) }
    /// Records sent to the dead-letter topic.
    public var deadLetters = 0
    /// Events later than every window they belonged to.
    public var lateEvents = 0
    /// Batches whose offsets were committed.
    public var commits = 0
    /// Commits deferred because a rebalance raced them.
    public var commitFailures = 0
    /// Rebalances seen (assignments, revocations, losses).
    public var rebalances = 0
    /// State checkpoints written.
    public var checkpoints = 0
    /// Partitions whose state was restored from a checkpoint.
    public var restoredPartitions = 0
    /// Results computed again after a takeover and not written, since the output already held them.
    public var suppressedResults = 0

    public var description: String {
        "\(recordsIn) records in, \(resultsOut) results out, \(signalsOut) detector results, \(deadLetters) dead letters, \(lateEvents) late, \(commits) commits (\(commitFailures) deferred), \(rebalances) rebalances, \(checkpoints) checkpoints, \(restoredPartitions) restored, \(suppressedResults) results already written"
    }
}
