import Detectors
import Engagement

extension DetectorStage {
    /// Appends the stage's state (not its settings) to `writer`.
    func encode(into writer: inout SnapshotWriter) {
        writer.write(firstEventTime)
        writer.write(nextReport)
        writer.write(UInt64(spikes.count))
        for detector in spikes {
            writer.write(detector != nil)
            detector?.encode(into: &writer)
        }
        hotPosts.encode(into: &writer)
        writer.write(UInt64(drift.count))
        for detector in drift {
            writer.write(detector != nil)
            detector?.encode(into: &writer)
        }
        communities?.encode(into: &writer)
    }

    /// Restores the state `encode` wrote into a stage configured like the one that wrote it.
    mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        firstEventTime = try reader.readOptional(Int64.self)
        nextReport = try reader.readOptional(Int64.self)
        let spikeCount = try reader.readCount(elementSize: 1)
        spikes = []
        for _ in 0..<spikeCount {
            guard try reader.readBool() else { spikes.append(nil); continue }
            guard let spikeSettings = settings.spikes, let windows else { throw .incompatible("spike state without a spike detector") }
            spikes.append(try SpikeDetector(settings: spikeSettings, step: windows.size, from: &reader))
        }
        hotPosts = try HotPosts(from: &reader)
        let driftCount = try reader.readCount(elementSize: 1)
        drift = []
        for _ in 0..<driftCount {
            guard try reader.readBool() else { drift.append(nil); continue }
            guard let followers = settings.followers else { throw .incompatible("drift state without a follower detector") }
            drift.append(try ChangePointDetector(settings: followers.drift, from: &reader))
        }
        try communities?.restore(from: &reader)
    }
}
