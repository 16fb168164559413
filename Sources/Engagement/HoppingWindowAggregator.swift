import CPrefetch

/// Per-creator hopping-window aggregation by window slicing: each event updates one pane (the `advance`-long
/// slice holding it); a window is the sum of its panes, combined once when it closes.
///
/// Semantics (Kafka Streams / the shared benchmark's reference): stream time is the max event time seen, per key or
/// per partition (`StreamTimeScope`), including the event being added. A window closes, and is emitted once, when
/// stream time reaches `end + grace`; an event goes to each of its windows still open, and is late (counted, handed
/// to `onLate`) when none is. Only windows that received an event are emitted. Pure: no clock, no I/O.
public struct HoppingWindowAggregator {
    /// The window specification.
    public let windows: HoppingWindows
    /// Which clock closes windows.
    public let scope: StreamTimeScope
    /// Score weights.
    public let weights: EngagementWeights
    /// When results are emitted.
    public let emission: WindowEmission
    /// How distinct users are counted.
    public let distinctUsers: DistinctUsersMode
    /// The kinds that make a user engaged.
    public let engagedKinds: EngagedKinds
    /// How far back an earlier engagement makes a window's engaged user *returning*; nil leaves returning and new
    /// users uncounted (and saves their bookkeeping).
    public let activityHorizon: Int64?
    /// When each (creator, user) pair last did an engaged-kind event before the windows now open, kept while
    /// `activityHorizon` is set.
    public internal(set) var activity = PairTimeTable()
    /// Events that arrived after all their windows had closed.
    public internal(set) var lateEvents = 0

    var creators: [CreatorPanes] = []
    /// The user lists of every pane.
    var blocks = UserBlocks()
    var partitions: [PartitionClock] = []  // indexed by partition number
    private var distinct = DistinctCounter()

    /// Creates an aggregator.
    public init(
        windows: HoppingWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
        emission: WindowEmission = .onClose, distinctUsers: DistinctUsersMode = .exact,
        engagedKinds: EngagedKinds = .standard, activityHorizon: Int64? = nil
    ) {
        self.activityHorizon = activityHorizon
        self.engagedKinds = engagedKinds
        self.windows = windows
        self.scope = scope
        self.weights = weights
        self.emission = emission
        self.distinctUsers = distinctUsers
    }

    /// Bytes of the array holding the panes' user lists (free blocks included).
    public var userListBytes: Int { blocks.capacityWords * MemoryLayout<UInt32>.stride }

    /// Windows currently holding state (open panes), over all creators.
    public var openPaneCount: Int { creators.reduce(0) { $0 + $1.paneCount } }

    /// Drops the state of every creator whose latest event is older than `cutoff`, first emitting its open
    /// windows as final (they would otherwise wait for a stream time that an idle key never brings). Returns how
    /// many creators were evicted.
    @discardableResult
    public mutating func evictIdle(
        before cutoff: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void
    ) -> Int {
        var evicted = 0
        for creator in creators.indices where creators[creator].lastEventTime != .min && creators[creator].lastEventTime < cutoff {
            close(UInt32(creator), through: .max, followers: followers, emit: emit)
            let listed = creators[creator].isListed
            creators[creator] = CreatorPanes()
            creators[creator].isListed = listed
            evicted += 1
        }
        if blocks.isSparse { relocateUserLists() }
        return evicted
    }

    /// The creator ids that hold state, ascending.
    public var liveCreators: [UInt32] {
        creators.indices.filter { creators[$0].lastEventTime != .min }.map { UInt32($0) }
    }

    /// The user ids referenced by open panes, ascending.
    public var liveUsers: [UInt32] {
        var seen = Set<UInt32>()
        for creator in creators {
            for pane in creator.panes { blocks.withUsers(of: pane.users) { seen.formUnion($0.lazy.map(AudienceEntry.user)) } }
        }
        return seen.sorted()
    }

    /// Moves every pane's user list into a fresh array, once evictions left the old one mostly free blocks.
    private mutating func relocateUserLists() {
        var fresh = UserBlocks()
        for creator in creators.indices { creators[creator].relocateUserLists(from: blocks, into: &fresh) }
        blocks = fresh
    }

    /// Renumbers creators after their interner was compacted: `mapping[old]` is the new id (every creator holding
    /// state must have one).
    public mutating func remapCreators(_ mapping: [UInt32], count: Int) {
        var renumbered = [CreatorPanes](repeating: CreatorPanes(), count: count)
        for (old, state) in creators.enumerated() where state.lastEventTime != .min {
            renumbered[Int(mapping[old])] = state
        }
        creators = renumbered
        for index in partitions.indices {
            partitions[index].creators = partitions[index].creators.compactMap {
                Int($0) < mapping.count && mapping[Int($0)] != .max ? mapping[Int($0)] : nil
            }
        }
        activity.remap(creators: mapping, users: nil)
        for index in creators.indices { creators[index].isListed = false }
        for clock in partitions { for creator in clock.creators { creators[Int(creator)].isListed = true } }
    }

    /// Renumbers users after their interner was compacted: `mapping[old]` is the new id.
    public mutating func remapUsers(_ mapping: [UInt32]) {
        for creator in creators { for pane in creator.panes { blocks.remap(pane.users, mapping) } }
        activity.remap(creators: nil, users: mapping)
    }

    /// Adds one event read from `partition`, emitting every window it closes (`.onClose`) or every window it
    /// changes (`.onUpdate`); a late event is counted and handed to `late`. `followers` learns the event too —
    /// after the windows it closes are emitted with their follower counts, since those windows end before it.
    public mutating func add(
        _ event: InteractionEvent, partition: Int32 = 0, followers: inout FollowerLedger,
        emit: (WindowAggregate) -> Void, late: (InteractionEvent) -> Void = { _ in }
    ) {
        let changesFollowers = event.kind.changesFollowers
        let follower = changesFollowers ? false : followers.apply(event)
        add(event, follower: follower, partition: partition, followers: followers, emit: emit, late: late)
        if changesFollowers { followers.apply(event) }
    }

    /// Adds one event, `follower` saying whether its user followed the creator then; `followers` is not changed.
    mutating func add(
        _ event: InteractionEvent, follower: Bool, partition: Int32, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void, late: (InteractionEvent) -> Void
    ) {
        let lastClosed = advance(
            creator: event.creator, timestamp: event.timestamp, partition: partition, followers: followers, emit: emit)
        let pane = windows.paneStart(event.timestamp)
        let entry = event.user == InteractionEvent.none
            ? event.user : AudienceEntry.make(user: event.user, kind: event.kind, engagedKinds: engagedKinds, follower: follower)
        switch creators[Int(event.creator)].record(
            event, entry: entry, pane: pane, lastClosed: lastClosed, sketchThreshold: distinctUsers.threshold, blocks: &blocks
        ) {
        case .added:
            if emission == .onUpdate { emitUpdates(event.creator, pane: pane, followers: followers, emit: emit) }
        case .late:
            lateEvents += 1
            if activityHorizon != nil && event.user != InteractionEvent.none && AudienceEntry.isEngaged(entry) {
                activity.record(creator: event.creator, user: event.user, time: pane)
            }
            late(event)
        case .snapshot:
            break
        }
    }

    /// Emits the current value of every open window containing `pane`.
    private mutating func emitUpdates(
        _ creator: UInt32, pane: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void
    ) {
        var start = max(creators[Int(creator)].closedThrough + windows.advance, pane - windows.size + windows.advance)
        while start <= pane {
            if let aggregate = combine(creator, start: start, followers: followers) { emit(aggregate) }
            start += windows.advance
        }
    }

    /// Starts loading `creator`'s state for an event a few records ahead; changes nothing.
    @inline(__always)
    public func prefetchState(of creator: UInt32) {
        creators.withUnsafeBufferPointer { all in
            guard Int(creator) < all.count else { return }
            // Every cache line the creator's state touches, its inline newest pane included (a state rarely starts
            // at a line's start, so it spans one line more than its size alone needs).
            let state = UInt(bitPattern: all.baseAddress! + Int(creator))
            for line in stride(from: state & ~63, to: state + UInt(MemoryLayout<CreatorPanes>.size), by: 64) {
                resonance_prefetch(UnsafeRawPointer(bitPattern: line)!)
            }
        }
    }

    /// Advances stream time with a record that carries no countable event (an unknown kind, an end-of-stream
    /// sentinel), emitting every window that closes; returns the start of the last window closed at the new stream
    /// time.
    @discardableResult
    public mutating func advance(
        creator: UInt32, timestamp: Int64, partition: Int32 = 0, followers: borrowing FollowerLedger,
        emit: (WindowAggregate) -> Void
    ) -> Int64 {
        let index = Int(creator)
        while creators.count <= index { creators.append(CreatorPanes()) }
        switch scope {
        case .key:
            let streamTime = max(creators[index].streamTime, timestamp)
            creators[index].streamTime = streamTime
            let lastClosed = windows.lastClosedStart(streamTime: streamTime)
            if creators[index].firstCandidate(windows) <= lastClosed {
                close(creator, through: lastClosed, followers: followers, emit: emit)
            }
            return lastClosed
        case .partition:
            let slot = Int(max(partition, 0))
            while partitions.count <= slot { partitions.append(PartitionClock()) }
            if !creators[index].isListed {
                creators[index].isListed = true
                partitions[slot].creators.append(creator)
            }
            partitions[slot].streamTime = max(partitions[slot].streamTime, timestamp)
            let lastClosed = windows.lastClosedStart(streamTime: partitions[slot].streamTime)
            if lastClosed > partitions[slot].sweptThrough {
                partitions[slot].sweptThrough = lastClosed
                for listed in partitions[slot].creators { close(listed, through: lastClosed, followers: followers, emit: emit) }
                partitions[slot].creators.removeAll { $0 != creator && creators[Int($0)].newest == nil && creators[Int($0)].unlist() }
            }
            return lastClosed
        }
    }

    private mutating func close(
        _ creator: UInt32, through lastClosed: Int64, followers: borrowing FollowerLedger, emit: (WindowAggregate) -> Void
    ) {
        let size = windows.size
        let advance = windows.advance
        while let first = creators[Int(creator)].firstPaneStart {
            let start = max(creators[Int(creator)].closedThrough &+ advance, first - size + advance)
            guard start <= lastClosed else { return }
            if emission == .onClose, let aggregate = combine(creator, start: start, followers: followers) { emit(aggregate) }
            creators[Int(creator)].closedThrough = start
            if activityHorizon != nil { recordActivity(creator, through: start) }
            creators[Int(creator)].dropPanes(through: start, blocks: &blocks)
        }
    }

    /// Folds the engaged users of the panes about to be dropped into the activity table.
    private mutating func recordActivity(_ creator: UInt32, through start: Int64) {
        for pane in creators[Int(creator)].panes where pane.start <= start {
            blocks.withUsers(of: pane.users) { entries in
                for entry in entries where AudienceEntry.isEngaged(entry) {
                    activity.record(creator: creator, user: AudienceEntry.user(entry), time: pane.start)
                }
            }
        }
    }

    /// Forgets activity older than `cutoff`, keeping the table to the horizon.
    public mutating func forgetActivity(before cutoff: Int64) {
        if activityHorizon != nil { activity.forget(before: cutoff) }
    }

    private mutating func combine(_ creator: UInt32, start: Int64, followers: borrowing FollowerLedger) -> WindowAggregate? {
        let end = start + windows.size
        let (counts, entries, sketched) = creators[Int(creator)].summary(from: start, until: end, blocks: blocks)
        guard counts.total > 0 else { return nil }
        var audience = creators[Int(creator)].audience(
            from: start, until: end, entries: entries, blocks: blocks, counter: &distinct)
        if sketched {
            var merged = AudienceSketch()
            creators[Int(creator)].forEachPane(from: start, until: end) { pane in
                if let sketch = pane.sketch { merged.merge(sketch) }
                blocks.withUsers(of: pane.users) { merged.add(entries: $0) }
            }
            audience = merged.estimate
        }
        return WindowAggregate(
            creator: creator, start: start, end: end, counts: counts, audience: audience,
            score: weights.score(counts), followers: followers.followers(of: creator),
            followersKnown: followers.tracksFollowers,
            returningUsers: sketched ? nil : returningUsers(creator, start: start, end: end, entries: entries))
    }

    /// Engaged users of the window who also engaged in `[start − horizon, start)`: the activity table holds exactly
    /// the engagements before `start`, because every pane before it was folded in when the previous window closed.
    /// `entries` is how many user entries the window's panes hold.
    private mutating func returningUsers(_ creator: UInt32, start: Int64, end: Int64, entries: Int) -> Int? {
        guard let horizon = activityHorizon else { return nil }
        var returning = 0
        distinct.begin(expected: entries)
        creators[Int(creator)].forEachPane(from: start, until: end) { pane in
            blocks.withUsers(of: pane.users) { entries in
                for entry in entries where AudienceEntry.isEngaged(entry) && distinct.add(AudienceEntry.user(entry)) != 0 {
                    let user = AudienceEntry.user(entry)
                    if let last = activity.time(creator: creator, user: user), last >= start - horizon { returning += 1 }
                }
            }
        }
        return returning
    }
}

/// When a window's result is emitted.
public enum WindowEmission: String, Sendable {
    /// Once, final, when the window closes (Kafka Streams' `suppress(untilWindowCloses)`): what alerts need.
    case onClose
    /// After every event that changes it, the latest value superseding the earlier ones; nothing at close.
    case onUpdate
}

/// One partition's stream time and the creators seen on it (scope `.partition`).
struct PartitionClock {
    var streamTime: Int64 = .min
    var sweptThrough: Int64 = .min
    var creators: [UInt32] = []
}

/// A creator's open panes and how far its windows are closed. The newest pane — where nearly every event lands — is
/// held inline, beside the rest of the creator's state that an event touches, so an event reads no list storage
/// before it reaches its pane; the older ones follow in a list, newest first.
struct CreatorPanes {
    private(set) var newest: Pane?
    /// The panes before `newest`, newest first (empty while `newest` is nil).
    private(set) var older: [Pane] = []
    var streamTime: Int64 = .min
    var lastEventTime: Int64 = .min
    var closedThrough: Int64 = .min / 2
    var isListed = false

    enum Recorded { case added, late, snapshot }

    /// Applies one event, whose tagged user entry is `entry`, in a single access to this creator's state: activity
    /// time and — unless every window of `pane` is closed (`pane <= lastClosed`) — the pane. Snapshots are not
    /// counted in windows.
    @inline(__always)
    mutating func record(
        _ event: InteractionEvent, entry: UInt32, pane: Int64, lastClosed: Int64, sketchThreshold: Int,
        blocks: inout UserBlocks
    ) -> Recorded {
        lastEventTime = max(lastEventTime, event.timestamp)
        guard event.kind != .followers else { return .snapshot }
        guard pane > lastClosed else { return .late }
        // Windows that closed while this creator had nothing in them stay closed: never emit them later.
        closedThrough = max(closedThrough, lastClosed)
        add(event.kind, entry: entry, paneStart: pane, sketchThreshold: sketchThreshold, blocks: &blocks)
        return .added
    }

    @inline(__always)
    mutating func add(_ kind: InteractionKind, entry: UInt32, paneStart: Int64, sketchThreshold: Int, blocks: inout UserBlocks) {
        if newest?.start == paneStart {
            newest!.add(kind, entry: entry, sketchThreshold: sketchThreshold, blocks: &blocks)
        } else if newest.map({ paneStart > $0.start }) ?? true {
            // A creator's panes hold similar numbers of users: a new newest pane reserves what the last one holds, so
            // its list is placed once instead of moving step by step.
            var pane = Pane(start: paneStart)
            if let previous = newest {
                blocks.reserve(Int(previous.users.count), for: &pane.users)
                older.insert(previous, at: 0)
            }
            pane.add(kind, entry: entry, sketchThreshold: sketchThreshold, blocks: &blocks)
            newest = pane
            // Unchanged when there were panes already; the list's storage, out of cache, is not read for it.
            if firstPaneStart == nil { firstPaneStart = paneStart }
        } else {
            addToOlder(kind, entry: entry, paneStart: paneStart, sketchThreshold: sketchThreshold, blocks: &blocks)
        }
    }

    /// An event out of order, for a pane before the newest.
    private mutating func addToOlder(
        _ kind: InteractionKind, entry: UInt32, paneStart: Int64, sketchThreshold: Int, blocks: inout UserBlocks
    ) {
        var index = 0
        while index < older.count && older[index].start > paneStart { index += 1 }
        if index == older.count || older[index].start != paneStart {
            older.insert(Pane(start: paneStart), at: index)
            if index == older.count - 1 { firstPaneStart = paneStart }
        }
        older[index].add(kind, entry: entry, sketchThreshold: sketchThreshold, blocks: &blocks)
    }

    /// The open panes, newest first.
    var panes: PaneList { PaneList(newest: newest, older: older) }

    /// The summed counts of the panes in `[start, end)`, how many user entries their lists hold, and whether any
    /// holds a sketch instead; starts loading their lists.
    func summary(from start: Int64, until end: Int64, blocks: UserBlocks) -> (KindCounts, entries: Int, sketched: Bool) {
        var counts = KindCounts()
        var entries = 0
        var sketched = false
        forEachPane(from: start, until: end) { pane in
            blocks.prefetch(pane.users)
            counts.add(pane.counts)
            entries += Int(pane.users.count)
            sketched = sketched || pane.sketch != nil
        }
        return (counts, entries, sketched)
    }

    /// The audience in the lists of the panes in `[start, end)`, which hold `entries` user entries (sketched panes
    /// are the caller's to estimate).
    func audience(from start: Int64, until end: Int64, entries: Int, blocks: UserBlocks, counter: inout DistinctCounter) -> AudienceCounts {
        counter.begin(expected: entries)
        var audience = AudienceCounts()
        forEachPane(from: start, until: end) { pane in blocks.withUsers(of: pane.users) { counter.add($0, to: &audience) } }
        return audience
    }

    /// Calls `body` with each open pane starting in `[start, end)`, newest first, read in place.
    @inline(__always)
    func forEachPane(from start: Int64, until end: Int64, _ body: (borrowing Pane) -> Void) {
        guard let first = newest?.start, first >= start else { return }
        if first < end { withUnsafePointer(to: newest) { body($0.pointee.unsafelyUnwrapped) } }  // in place, not copied
        older.withUnsafeBufferPointer { older in
            for index in older.indices {
                guard older[index].start >= start else { return }
                if older[index].start < end { body(older[index]) }
            }
        }
    }

    /// How many panes are open.
    var paneCount: Int { panes.count }

    /// Moves the panes' user lists from `blocks` into `fresh`.
    mutating func relocateUserLists(from blocks: UserBlocks, into fresh: inout UserBlocks) {
        if newest != nil { blocks.relocate(&newest!.users, into: &fresh) }
        for index in older.indices { blocks.relocate(&older[index].users, into: &fresh) }
    }

    /// The start of the earliest window that could still be emitted, or `.max` without panes.
    @inline(__always)
    func firstCandidate(_ windows: HoppingWindows) -> Int64 {
        guard let first = firstPaneStart else { return .max }
        return max(closedThrough &+ windows.advance, first - windows.size + windows.advance)
    }

    /// The start of the oldest pane, kept beside the panes so the per-event check never touches them.
    private(set) var firstPaneStart: Int64?

    /// Sets the panes read from a snapshot (where they are written oldest first).
    mutating func restorePanes(oldestFirst restored: [Pane]) {
        newest = restored.last
        older = restored.dropLast().reversed()
        firstPaneStart = restored.first?.start
    }

    /// Drops the panes starting at or before `start` (the oldest ones), releasing their user lists.
    mutating func dropPanes(through start: Int64, blocks: inout UserBlocks) {
        while let last = older.last, last.start <= start {
            blocks.release(&older[older.count - 1].users)
            older.removeLast()
        }
        if older.isEmpty, newest.map({ $0.start <= start }) ?? false {
            blocks.release(&newest!.users)
            newest = nil
        }
        firstPaneStart = older.last?.start ?? newest?.start
    }

    mutating func unlist() -> Bool {
        isListed = false
        return true
    }
}

/// A creator's open panes, newest first: the inline newest one, then the older list (each read as a copy;
/// `CreatorPanes.forEachPane` reads them in place, for the window close).
struct PaneList: RandomAccessCollection {
    let newest: Pane?
    let older: [Pane]

    var startIndex: Int { 0 }
    var endIndex: Int { newest == nil ? 0 : older.count + 1 }
    subscript(position: Int) -> Pane { position == 0 ? newest! : older[position - 1] }
}

/// The events of one `advance`-long slice of one creator's timeline: counts per kind and the tagged user entries
/// (`AudienceEntry`, duplicates included) in a list of the aggregator's `UserBlocks`, or, past the approximate
/// mode's threshold, sketches of them.
struct Pane {
    var counts = KindCounts()  // first: 16-byte aligned, the other fields then leave no padding
    let start: Int64
    var users = UserBlocks.List()
    var sketch: AudienceSketch?

    /// Counts `kind` and adds `entry`, a tagged user entry, or `InteractionEvent.none`.
    @inline(__always)
    mutating func add(_ kind: InteractionKind, entry: UInt32, sketchThreshold: Int, blocks: inout UserBlocks) {
        counts.add(kind)
        guard entry != InteractionEvent.none else { return }
        if sketch != nil {
            sketch!.add(entry)
            return
        }
        blocks.append(entry, to: &users)
        if users.count >= sketchThreshold {
            var converted = AudienceSketch()
            blocks.withUsers(of: users) { converted.add(entries: $0) }
            sketch = converted
            blocks.release(&users)
        }
    }
}
