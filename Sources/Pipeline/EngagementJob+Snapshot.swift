import Engagement

extension EngagementJob {
    private static let magic: UInt32 = 0x5253_4E34  // "RSN4"

    /// The job's whole state as bytes (every window kind). Restoring it into a job with the same settings and
    /// feeding both the same events gives the same results.
    public func snapshot() -> [UInt8] {
        var writer = SnapshotWriter()
        writer.write(Self.magic)
        decoder.encode(into: &writer)
        windows.encode(into: &writer)
        writer.write(UInt64(windows.evictedCreators))
        writer.write(partitionTimes)
        writer.write(jobTime)
        writer.write(nextSweep)
        detectors.encode(into: &writer)
        followers.encode(into: &writer)
        return writer.bytes
    }

    /// A job with `settings` and the state of `snapshot`.
    /// - Throws: `SnapshotError` when the bytes are not a complete snapshot of a job of this kind.
    public init(settings: Settings, restoringFrom snapshot: [UInt8]) throws(SnapshotError) {
        self.init(settings: settings)
        var reader = SnapshotReader(snapshot)
        guard try reader.read(UInt32.self) == Self.magic else { throw .incompatible("not a Resonance job snapshot") }
        try decoder.restore(from: &reader)
        try windows.restore(from: &reader)
        windows.restoreEvictedCreators(Int(try reader.read(UInt64.self)))
        partitionTimes = try reader.readArray(Int64.self)
        jobTime = try reader.read()
        nextSweep = try reader.read()
        try detectors.restore(from: &reader)
        followers = try FollowerLedger(
            dormantAfter: followers.dormantAfter, engagedKinds: followers.engagedKinds,
            tracksFollowers: followers.tracksFollowers, from: &reader)
        guard reader.atEnd else { throw .incompatible("trailing bytes") }
    }
}
