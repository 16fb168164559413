import Detectors
import Engagement

extension CommunitySpikes {
    /// Appends every pair's bucket and detector to `writer`.
    func encode(into writer: inout SnapshotWriter) {
        writer.write(UInt64(pairs.count))
        for pair in pairs {
            writer.write(pair.creator)
            writer.write(pair.community)
            writer.write(pair.bucketStart)
            writer.write(pair.users)
            writer.write(Int64(pair.extraUsers))
            writer.write(pair.score)
            pair.counts.encode(into: &writer)
            pair.detector.encode(into: &writer)
        }
    }

    /// Restores what `encode` wrote.
    mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        let count = try reader.readCount(elementSize: 32)
        pairs = []
        for _ in 0..<count {
            let creator: UInt32 = try reader.read(), community: UInt32 = try reader.read(), bucketStart: Int64 = try reader.read()
            let users = try reader.readArray(UInt32.self)
            let extraUsers = Int(try reader.read(Int64.self))
            let score = try reader.readDouble()
            let counts = try KindCounts(from: &reader)
            let detector = try SpikeDetector(settings: settings, step: step, from: &reader)
            pairs.append(Pair(creator: creator, community: community, bucketStart: bucketStart, users: users,
                              extraUsers: extraUsers, score: score, counts: counts, detector: detector))
        }
        rebuildIndex()
    }
}
