/// The per-creator state of windows whose bounds come from the records themselves (sliding and session windows),
/// driven by `RecordWindowAggregator`, which owns the clocks.
protocol RecordWindowState {
    associatedtype Spec
    init()
    /// Adds an event, whose tagged user entry is `entry`, if a window it belongs to is still open at `streamTime`;
    /// false when it is late.
    mutating func add(_ event: InteractionEvent, entry: UInt32, spec: Spec, streamTime: Int64, sketchThreshold: Int) -> Bool
    /// Emits, in order, every window that closes at `streamTime`, and drops what no open window needs.
    mutating func close(at streamTime: Int64, spec: Spec, creator: UInt32, context: inout WindowContext, emit: (WindowAggregate) -> Void)
    /// The earliest stream time at which some window of this state closes, or `.max`.
    var nextClose: Int64 { get }
    /// Every tagged user entry the state still holds.
    var users: [UInt32] { get }
    /// Renumbers user ids after their interner was compacted.
    mutating func remapUsers(_ mapping: [UInt32])
    /// Appends the state to a snapshot.
    func encode(into writer: inout SnapshotWriter)
    /// The state `encode` wrote.
    init(from reader: inout SnapshotReader) throws(SnapshotError)
}

extension Slice {
    mutating func remapUsers(_ mapping: [UInt32]) {
        for index in users.indices { users[index] = AudienceEntry.remap(users[index], mapping) }
    }
}

/// What closing windows needs beyond a creator's own state.
struct WindowContext {
    var distinct = DistinctCounter()
    let weights: EngagementWeights
    let sketchThreshold: Int

    /// Builds a window result from slices, or nil when they hold no event; its follower figures are set by the
    /// caller (`WindowAggregate.setFollowers`).
    mutating func aggregate(creator: UInt32, start: Int64, end: Int64, slices: some Sequence<Slice>) -> WindowAggregate? {
        var counts = KindCounts()
        for slice in slices { counts.add(slice.counts) }
        guard counts.total > 0 else { return nil }
        return WindowAggregate(creator: creator, start: start, end: end, counts: counts, audience: distinct.count(slices),
                               score: weights.score(counts), followers: .max, followersKnown: true)
    }
}

/// The clocks and per-creator states behind `RecordWindowAggregator`.
///
/// Stream time is the max event time seen (per key or partition, including the event being added). Windows are
/// emitted once, final, when stream time passes their close time; events no open window accepts are late.
struct RecordWindowCore<State: RecordWindowState> {
    struct Creator {
        var state = State()
        var streamTime: Int64 = .min
        var lastEventTime: Int64 = .min
    }

    struct PartitionClock {
        var streamTime: Int64 = .min
        var creators: Set<UInt32> = []
        var nextClose: Int64 = .max
    }

    let spec: State.Spec
    /// Which clock closes windows.
    let scope: StreamTimeScope
    /// The kinds that make a user engaged.
    let engagedKinds: EngagedKinds
    /// Events that arrived after every window they belong to had closed.
    private(set) var lateEvents = 0
    var creators: [Creator] = []
    var partitions: [Int32: PartitionClock] = [:]
    private var context: WindowContext

    init(spec: State.Spec, scope: StreamTimeScope, weights: EngagementWeights, distinctUsers: DistinctUsersMode,
         engagedKinds: EngagedKinds) {
        self.spec = spec
        self.scope = scope
        self.engagedKinds = engagedKinds
        context = WindowContext(weights: weights, sketchThreshold: distinctUsers.threshold)
    }

    /// Adds one event read from `partition`, emitting every window that closes; late events go to `late`.
    /// `follower` says whether the user followed the creator then; `followers` gives the windows' follower counts.
    mutating func add(
        _ event: InteractionEvent, follower: Bool, partition: Int32, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void, late: (InteractionEvent) -> Void
    ) {
        let index = Int(event.creator)
        while creators.count <= index { creators.append(Creator()) }
        let now = advanceClock(
            creator: event.creator, partition: partition, timestamp: event.timestamp, followers: followers, emit: emit)
        creators[index].lastEventTime = max(creators[index].lastEventTime, event.timestamp)
        guard event.kind != .followers else { return }
        let entry = event.user == InteractionEvent.none
            ? event.user : AudienceEntry.make(user: event.user, kind: event.kind, engagedKinds: engagedKinds, follower: follower)
        if creators[index].state.add(event, entry: entry, spec: spec, streamTime: now, sketchThreshold: context.sketchThreshold) {
            if scope == .partition {
                partitions[partition, default: PartitionClock()].creators.insert(event.creator)
                partitions[partition]!.nextClose = min(partitions[partition]!.nextClose, creators[index].state.nextClose)
            }
        } else {
            lateEvents += 1
            late(event)
        }
    }

    /// Advances stream time with a record that carries no countable event, emitting every window that closes.
    mutating func advance(
        creator: UInt32, timestamp: Int64, partition: Int32, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void
    ) {
        while creators.count <= Int(creator) { creators.append(Creator()) }
        _ = advanceClock(creator: creator, partition: partition, timestamp: timestamp, followers: followers, emit: emit)
    }

    /// Flushes and drops every creator whose latest event is older than `cutoff`; returns how many.
    mutating func evictIdle(before cutoff: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void) -> Int {
        var evicted = 0
        for index in creators.indices where creators[index].lastEventTime != .min && creators[index].lastEventTime < cutoff {
            closeCreator(UInt32(index), at: .max, followers: followers, emit: emit)
            creators[index] = Creator()
            evicted += 1
        }
        for partition in partitions.keys {
            partitions[partition]!.creators = partitions[partition]!.creators.filter { creators[Int($0)].lastEventTime != .min }
        }
        return evicted
    }

    /// Creator ids holding state, ascending.
    var liveCreators: [UInt32] { creators.indices.filter { creators[$0].lastEventTime != .min }.map { UInt32($0) } }

    /// User ids the states hold, ascending.
    var liveUsers: [UInt32] { Set(creators.flatMap(\.state.users).map(AudienceEntry.user)).sorted() }

    /// Renumbers creators after their interner was compacted (`mapping[old]` = new id for every live creator).
    mutating func remapCreators(_ mapping: [UInt32], count: Int) {
        var renumbered = [Creator](repeating: Creator(), count: count)
        for (old, creator) in creators.enumerated() where creator.lastEventTime != .min { renumbered[Int(mapping[old])] = creator }
        creators = renumbered
        for partition in partitions.keys {
            partitions[partition]!.creators = Set(partitions[partition]!.creators.compactMap {
                Int($0) < mapping.count && mapping[Int($0)] != .max ? mapping[Int($0)] : nil
            })
        }
    }

    /// Renumbers users after their interner was compacted.
    mutating func remapUsers(_ mapping: [UInt32]) {
        for index in creators.indices { creators[index].state.remapUsers(mapping) }
    }

    /// Moves the event's clock forward and closes what that closes; returns the clock's time.
    private mutating func advanceClock(
        creator: UInt32, partition: Int32, timestamp: Int64, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void
    ) -> Int64 {
        let index = Int(creator)
        switch scope {
        case .key:
            creators[index].streamTime = max(creators[index].streamTime, timestamp)
            let now = creators[index].streamTime
            if now > creators[index].state.nextClose { closeCreator(creator, at: now, followers: followers, emit: emit) }
            return now
        case .partition:
            var clock = partitions[partition] ?? PartitionClock()
            clock.streamTime = max(clock.streamTime, timestamp)
            let now = clock.streamTime
            if now > clock.nextClose {
                clock.nextClose = .max
                // In id order: the same results in the same order on every run and after every restore.
                for member in clock.creators.sorted() {
                    closeCreator(member, at: now, followers: followers, emit: emit)
                    clock.nextClose = min(clock.nextClose, creators[Int(member)].state.nextClose)
                }
                clock.creators = clock.creators.filter { creators[Int($0)].state.nextClose != .max }
            }
            partitions[partition] = clock
            return now
        }
    }

    private mutating func closeCreator(
        _ creator: UInt32, at now: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void
    ) {
        let count = followers.followers(of: creator)
        let known = followers.tracksFollowers
        creators[Int(creator)].state.close(at: now, spec: spec, creator: creator, context: &context) { aggregate in
            var result = aggregate
            result.setFollowers(count, known: known)
            emit(result)
        }
    }
}

extension RecordWindowCore {
    /// Appends the clocks and every creator's windows (not the configuration) to `writer`.
    func encode(into writer: inout SnapshotWriter) {
        writer.write(UInt64(lateEvents))
        writer.write(UInt64(creators.count))
        for creator in creators {
            writer.write(creator.streamTime)
            writer.write(creator.lastEventTime)
            creator.state.encode(into: &writer)
        }
        writer.write(UInt64(partitions.count))
        for (partition, clock) in partitions.sorted(by: { $0.key < $1.key }) {
            writer.write(partition)
            writer.write(clock.streamTime)
            writer.write(clock.nextClose)
            writer.write(clock.creators.sorted())
        }
    }

    /// Restores what `encode` wrote into a core configured like the one that wrote it.
    mutating func restore(from reader: inout SnapshotReader) throws(SnapshotError) {
        lateEvents = Int(try reader.read(UInt64.self))
        let creatorCount = try reader.readCount(elementSize: 16)
        creators = []
        creators.reserveCapacity(creatorCount)
        for _ in 0..<creatorCount {
            var creator = Creator()
            creator.streamTime = try reader.read()
            creator.lastEventTime = try reader.read()
            creator.state = try State(from: &reader)
            creators.append(creator)
        }
        let partitionCount = try reader.readCount(elementSize: 28)
        partitions = [:]
        for _ in 0..<partitionCount {
            let partition: Int32 = try reader.read()
            var clock = PartitionClock()
            clock.streamTime = try reader.read()
            clock.nextClose = try reader.read()
            clock.creators = Set(try reader.readArray(UInt32.self))
            guard clock.creators.allSatisfy({ Int($0) < creators.count }) else { throw .incompatible("partition clock names an unknown creator") }
            partitions[partition] = clock
        }
    }
}
