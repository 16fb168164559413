/// Snapshot encoding of the engagement state: what a worker checkpoints so that a partition's windows, follower
/// counts and activity survive a crash or a move to another worker.
extension Interner {
    func encode(into writer: inout SnapshotWriter) {
        writer.write(bytes: arena)
        writer.write(offsets.map { UInt64($0) })
    }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        let arena = try reader.readBytes()
        let offsets = try reader.readArray(UInt64.self).map(Int.init)
        guard offsets.first == 0, offsets.last == arena.count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw .incompatible("interner offsets")
        }
        self.init()
        // Re-interning in id order rebuilds the table and gives every string its old id.
        arena.withUnsafeBytes { bytes in
            for index in 0..<(offsets.count - 1) { _ = intern(UnsafeRawBufferPointer(rebasing: bytes[offsets[index]..<offsets[index + 1]])) }
        }
        guard count == offsets.count - 1 else { throw .incompatible("interner holds duplicates") }
    }
}

extension KindCounts {
    /// Appends the counts to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        for lane in 0..<16 { writer.write(lanes[lane]) }
    }

    /// The counts `encode` wrote.
    public init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        for lane in 0..<16 { lanes[lane] = try reader.read(Int32.self) }
    }
}

extension Slice {
    func encode(into writer: inout SnapshotWriter) {
        counts.encode(into: &writer)
        writer.write(users)
        writer.write(sketch != nil)
        for part in sketch?.parts ?? [] { writer.write(bytes: part.registers) }
    }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        counts = try KindCounts(from: &reader)
        users = try reader.readArray(UInt32.self)
        if try reader.readBool() {
            var parts: [HyperLogLog] = []
            for _ in 0..<4 {
                let registers = try reader.readBytes()
                guard registers.count == HyperLogLog.registerCount else { throw .incompatible("sketch size") }
                var part = HyperLogLog()
                part.registers = registers
                parts.append(part)
            }
            sketch = AudienceSketch(parts: parts)
        }
    }
}

extension PairTimeTable {
    func encode(into writer: inout SnapshotWriter) { table.encode(into: &writer) }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        table = try PairTable(from: &reader)
    }
}

extension HoppingWindowAggregator {
    /// Appends this aggregator's state (not its configuration) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        writer.write(UInt64(lateEvents))
        activity.encode(into: &writer)
        writer.write(UInt64(creators.count))
        for creator in creators {
            writer.write(creator.streamTime)
            writer.write(creator.lastEventTime)
            writer.write(creator.closedThrough)
            writer.write(creator.isListed)
            writer.write(UInt64(creator.paneCount))
            for pane in creator.panes.reversed() {
                writer.write(pane.start)
                Slice(users: blocks.users(of: pane.users), sketch: pane.sketch, counts: pane.counts).encode(into: &writer)
            }
        }
        writer.write(UInt64(partitions.count))
        for clock in partitions {
            writer.write(clock.streamTime)
            writer.write(clock.sweptThrough)
            writer.write(clock.creators)
        }
    }

    /// Restores the state `encode` wrote into an aggregator configured like the one that wrote it.
    public mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        lateEvents = Int(try reader.read(UInt64.self))
        activity = try PairTimeTable(from: &reader)
        let creatorCount = try reader.readCount(elementSize: 33)
        creators = []
        creators.reserveCapacity(creatorCount)
        blocks = UserBlocks()
        for _ in 0..<creatorCount {
            var creator = CreatorPanes()
            creator.streamTime = try reader.read()
            creator.lastEventTime = try reader.read()
            creator.closedThrough = try reader.read()
            creator.isListed = try reader.readBool()
            let paneCount = try reader.readCount(elementSize: 8)
            var panes: [Pane] = []
            panes.reserveCapacity(paneCount)
            for _ in 0..<paneCount {
                let start: Int64 = try reader.read()
                let slice = try Slice(from: &reader)
                var pane = Pane(counts: slice.counts, start: start, sketch: slice.sketch)
                blocks.reserve(slice.users.count, for: &pane.users)
                for user in slice.users { blocks.append(user, to: &pane.users) }
                panes.append(pane)
            }
            creator.restorePanes(oldestFirst: panes)
            creators.append(creator)
        }
        let partitionCount = try reader.readCount(elementSize: 24)
        partitions = []
        for _ in 0..<partitionCount {
            var clock = PartitionClock()
            clock.streamTime = try reader.read()
            clock.sweptThrough = try reader.read()
            clock.creators = try reader.readArray(UInt32.self)
            partitions.append(clock)
        }
    }
}

extension EventDecoder {
    /// Appends the interned ids (the decoder's only state) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        for interner in [creators, users, posts, communities] { interner.encode(into: &writer) }
    }

    /// Restores the interned ids `encode` wrote.
    public mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        creators = try Interner(from: &reader)
        users = try Interner(from: &reader)
        posts = try Interner(from: &reader)
        communities = try Interner(from: &reader)
    }
}

extension FollowerLedger {
    /// Appends the ledger's state (not its settings) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        table.encode(into: &writer)
        writer.write(UInt64(creators.count))
        for creator in creators {
            writer.write(creator.tracked)
            writer.write(creator.snapshot)
            writer.write(creator.netSinceSnapshot)
            writer.write(creator.unmatched)
            writer.write(creator.reactivated)
            writer.write(creator.firstSeen)
        }
        writer.write(lastReport)
        writer.write(UInt64(previousReports.count))
        for (creator, previous) in previousReports.sorted(by: { $0.key < $1.key }) {
            writer.write(creator)
            writer.write(previous.followers)
            writer.write(Int64(previous.engagedFollowers7d))
            writer.write(Int64(previous.engagedFollowers30d))
            writer.write(previous.dormantShare?.bitPattern)
        }
    }

    /// A ledger with these settings in the state `encode` wrote.
    public init(
        dormantAfter: Int64, engagedKinds: EngagedKinds, tracksFollowers: Bool, from reader: inout SnapshotReader
    ) throws(SnapshotError) {
        self.init(dormantAfter: dormantAfter, engagedKinds: engagedKinds, tracksFollowers: tracksFollowers)
        table = try PairTable(from: &reader)
        let count = try reader.readCount(elementSize: 33)
        creators = []
        creators.reserveCapacity(count)
        for _ in 0..<count {
            var creator = CreatorFollowers()
            creator.tracked = try reader.read()
            creator.snapshot = try reader.readOptional(Int64.self)
            creator.netSinceSnapshot = try reader.read()
            creator.unmatched = try reader.read()
            creator.reactivated = try reader.read()
            creator.firstSeen = try reader.read()
            creators.append(creator)
        }
        lastReport = try reader.readOptional(Int64.self)
        for _ in 0..<(try reader.readCount(elementSize: 29)) {
            let creator: UInt32 = try reader.read()
            previousReports[creator] = FollowerHealth.Figures(
                followers: try reader.read(), engagedFollowers7d: Int(try reader.read(Int64.self)),
                engagedFollowers30d: Int(try reader.read(Int64.self)),
                dormantShare: try reader.readOptional(UInt64.self).map(Double.init(bitPattern:)))
        }
    }
}
