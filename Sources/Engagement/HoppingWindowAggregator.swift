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
    /// How far back an earlier engagement makes a window's user *returning*; nil leaves returning and new users
    /// uncounted (and saves their bookkeeping).
    public let activityHorizon: Int64?
    /// When each (creator, user) pair last engaged before the windows now open, kept while `activityHorizon` is set.
    public internal(set) var activity = PairTimeTable()
    /// Events that arrived after all their windows had closed.
    public internal(set) var lateEvents = 0

    var creators: [CreatorPanes] = []
    var partitions: [PartitionClock] = []  // indexed by partition number
    private var distinct = DistinctCounter()

    /// Creates an aggregator.
    public init(
        windows: HoppingWindows, scope: StreamTimeScope, weights: EngagementWeights = .standard,
        emission: WindowEmission = .onClose, distinctUsers: DistinctUsersMode = .exact, activityHorizon: Int64? = nil
    ) {
        self.activityHorizon = activityHorizon
        self.windows = windows
        self.scope = scope
        self.weights = weights
        self.emission = emission
        self.distinctUsers = distinctUsers
    }

    /// Windows currently holding state (open panes), over all creators.
    public var openPaneCount: Int { creators.reduce(0) { $0 + $1.paneCount } }

    /// Drops the state of every creator whose latest event is older than `cutoff`, first emitting its open
    /// windows as final (they would otherwise wait for a stream time that an idle key never brings). Its live
    /// follower count is forgotten too. Returns how many creators were evicted.
    @discardableResult
    public mutating func evictIdle(before cutoff: Int64, emit: (WindowAggregate) -> Void) -> Int {
        var evicted = 0
        for creator in creators.indices where creators[creator].lastEventTime != .min && creators[creator].lastEventTime < cutoff {
            close(UInt32(creator), through: .max, emit: emit)
            let listed = creators[creator].isListed
            creators[creator] = CreatorPanes()
            creators[creator].isListed = listed
            evicted += 1
        }
        return evicted
    }

    /// The creator ids that hold state, ascending.
    public var liveCreators: [UInt32] {
        creators.indices.filter { creators[$0].lastEventTime != .min }.map { UInt32($0) }
    }

    /// The user ids referenced by open panes, ascending.
    public var liveUsers: [UInt32] {
        var seen = Set<UInt32>()
        for creator in creators { for pane in creator.panes { seen.formUnion(pane.slice.users) } }
        return seen.sorted()
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
        for creator in creators.indices { creators[creator].remapUsers(mapping) }
        distinct.reset()
        activity.remap(creators: nil, users: mapping)
    }

    /// Adds one event read from `partition`, emitting every window it closes (`.onClose`) or every window it
    /// changes (`.onUpdate`); a late event is counted and handed to `late`.
    ///
    /// Follows, unfollows and `followers` snapshots also move the creator's live follower count — after the windows
    /// this event closes are emitted, since those end before it — even when the event is late for every window.
    public mutating func add(
        _ event: InteractionEvent, partition: Int32 = 0, emit: (WindowAggregate) -> Void,
        late: (InteractionEvent) -> Void = { _ in }
    ) {
        let lastClosed = advance(creator: event.creator, timestamp: event.timestamp, partition: partition, emit: emit)
        let pane = windows.paneStart(event.timestamp)
        switch creators[Int(event.creator)].record(event, pane: pane, lastClosed: lastClosed, sketchThreshold: distinctUsers.threshold) {
        case .added:
            if emission == .onUpdate { emitUpdates(event.creator, pane: pane, emit: emit) }
        case .late:
            lateEvents += 1
            if activityHorizon != nil && event.user != InteractionEvent.none {
                activity.record(creator: event.creator, user: event.user, time: pane)
            }
            late(event)
        case .snapshot:
            break
        }
    }

    /// Emits the current value of every open window containing `pane`.
    private mutating func emitUpdates(_ creator: UInt32, pane: Int64, emit: (WindowAggregate) -> Void) {
        var start = max(creators[Int(creator)].closedThrough + windows.advance, pane - windows.size + windows.advance)
        while start <= pane {
            if let aggregate = combine(creator, start: start) { emit(aggregate) }
            start += windows.advance
        }
    }

    /// Starts loading `creator`'s state for an event a few records ahead; changes nothing.
    @inline(__always)
    public func prefetchState(of creator: UInt32) {
        creators.withUnsafeBufferPointer { all in
            guard Int(creator) < all.count else { return }
            // Every cache line of the creator's state, its inline newest pane included.
            let state = UnsafeRawPointer(all.baseAddress! + Int(creator))
            for offset in stride(from: 0, to: MemoryLayout<CreatorPanes>.stride, by: 64) { resonance_prefetch(state + offset) }
        }
    }

    /// Advances stream time with a record that carries no countable event (an unknown kind, an end-of-stream
    /// sentinel), emitting every window that closes; returns the start of the last window closed at the new stream
    /// time.
    @discardableResult
    public mutating func advance(creator: UInt32, timestamp: Int64, partition: Int32 = 0, emit: (WindowAggregate) -> Void) -> Int64 {
        let index = Int(creator)
        while creators.count <= index { creators.append(CreatorPanes()) }
        switch scope {
        case .key:
            let streamTime = max(creators[index].streamTime, timestamp)
            creators[index].streamTime = streamTime
            let lastClosed = windows.lastClosedStart(streamTime: streamTime)
            if creators[index].firstCandidate(windows) <= lastClosed { close(creator, through: lastClosed, emit: emit) }
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
                for listed in partitions[slot].creators { close(listed, through: lastClosed, emit: emit) }
                partitions[slot].creators.removeAll { $0 != creator && creators[Int($0)].newest == nil && creators[Int($0)].unlist() }
            }
            return lastClosed
        }
    }

    private mutating func close(_ creator: UInt32, through lastClosed: Int64, emit: (WindowAggregate) -> Void) {
        let size = windows.size
        let advance = windows.advance
        while let first = creators[Int(creator)].firstPaneStart {
            let start = max(creators[Int(creator)].closedThrough &+ advance, first - size + advance)
            guard start <= lastClosed else { return }
            if emission == .onClose, let aggregate = combine(creator, start: start) { emit(aggregate) }
            creators[Int(creator)].closedThrough = start
            if activityHorizon != nil { recordActivity(creator, through: start) }
            creators[Int(creator)].dropPanes(through: start)
        }
    }

    /// Folds the users of the panes about to be dropped into the activity table.
    private mutating func recordActivity(_ creator: UInt32, through start: Int64) {
        for pane in creators[Int(creator)].panes where pane.start <= start {
            for user in pane.slice.users { activity.record(creator: creator, user: user, time: pane.start) }
        }
    }

    /// Forgets activity older than `cutoff`, keeping the table to the horizon.
    public mutating func forgetActivity(before cutoff: Int64) {
        if activityHorizon != nil { activity.forget(before: cutoff) }
    }

    private mutating func combine(_ creator: UInt32, start: Int64) -> WindowAggregate? {
        let end = start + windows.size
        var counts = KindCounts()
        var distinctUsers = 0
        var sketched = false
        distinct.begin()
        creators[Int(creator)].prefetchUserLists(from: start, until: end)
        for pane in creators[Int(creator)].panes where pane.start >= start && pane.start < end {
            counts.add(pane.slice.counts)
            distinctUsers += distinct.add(pane.slice.users)
            sketched = sketched || pane.slice.sketch != nil
        }
        guard counts.total > 0 else { return nil }
        if sketched {
            distinctUsers = distinct.count(creators[Int(creator)].panes.lazy.filter { $0.start >= start && $0.start < end }.map(\.slice))
        }
        return WindowAggregate(
            creator: creator, start: start, end: end, counts: counts, distinctUsers: distinctUsers,
            score: weights.score(counts), followers: creators[Int(creator)].followers,
            returningUsers: sketched ? nil : returningUsers(creator, start: start, end: end))
    }

    /// Users of the window who also engaged in `[start − horizon, start)`: the activity table holds exactly the
    /// engagements before `start`, because every pane before it was folded in when the previous window closed.
    private mutating func returningUsers(_ creator: UInt32, start: Int64, end: Int64) -> Int? {
        guard let horizon = activityHorizon else { return nil }
        var returning = 0
        distinct.begin()
        for pane in creators[Int(creator)].panes where pane.start >= start && pane.start < end {
            for user in pane.slice.users where distinct.add(user) {
                if let last = activity.time(creator: creator, user: user), last >= start - horizon { returning += 1 }
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
    var followers: Int64 = 0
    var closedThrough: Int64 = .min / 2
    var isListed = false

    enum Recorded { case added, late, snapshot }

    /// Applies one event in a single access to this creator's state: activity time, follower count, and — unless
    /// every window of `pane` is closed (`pane <= lastClosed`) — the pane.
    @inline(__always)
    mutating func record(_ event: InteractionEvent, pane: Int64, lastClosed: Int64, sketchThreshold: Int) -> Recorded {
        lastEventTime = max(lastEventTime, event.timestamp)
        switch event.kind {
        case .followers:
            followers = event.count
            return .snapshot
        case .follow: followers += 1
        case .unfollow: followers -= 1
        default: break
        }
        guard pane > lastClosed else { return .late }
        // Windows that closed while this creator had nothing in them stay closed: never emit them later.
        closedThrough = max(closedThrough, lastClosed)
        add(event, paneStart: pane, sketchThreshold: sketchThreshold)
        return .added
    }

    @inline(__always)
    mutating func add(_ event: InteractionEvent, paneStart: Int64, sketchThreshold: Int) {
        if newest?.start == paneStart {
            newest!.slice.add(event, sketchThreshold: sketchThreshold)
        } else if newest.map({ paneStart > $0.start }) ?? true {
            // A creator's panes hold similar numbers of users: a new newest pane reserves what the last one holds, so
            // its list is allocated once instead of growing step by step.
            var pane = Pane(start: paneStart)
            if let previous = newest {
                pane.slice.users.reserveCapacity(previous.slice.users.count)
                older.insert(previous, at: 0)
            }
            pane.slice.add(event, sketchThreshold: sketchThreshold)
            newest = pane
            firstPaneStart = older.last?.start ?? paneStart
        } else {
            addToOlder(event, paneStart: paneStart, sketchThreshold: sketchThreshold)
        }
    }

    /// An event out of order, for a pane before the newest.
    private mutating func addToOlder(_ event: InteractionEvent, paneStart: Int64, sketchThreshold: Int) {
        var index = 0
        while index < older.count && older[index].start > paneStart { index += 1 }
        if index == older.count || older[index].start != paneStart {
            older.insert(Pane(start: paneStart), at: index)
            if index == older.count - 1 { firstPaneStart = paneStart }
        }
        older[index].slice.add(event, sketchThreshold: sketchThreshold)
    }

    /// The open panes, newest first.
    var panes: PaneList { PaneList(newest: newest, older: older) }

    /// How many panes are open.
    var paneCount: Int { panes.count }

    /// Starts loading the user lists of the panes in `[start, end)` — written long before the window closes, so out
    /// of cache by then — all at once, instead of one miss after another as the count walks them. Reads only the
    /// lists' addresses (an array is one reference to its storage).
    func prefetchUserLists(from start: Int64, until end: Int64) {
        func prefetch(_ pane: Pane) {
            guard pane.start >= start && pane.start < end else { return }
            let storage = unsafeBitCast(pane.slice.users, to: UnsafeRawPointer.self)
            resonance_prefetch(storage)
            resonance_prefetch(storage + 64)
        }
        if let newest { prefetch(newest) }
        older.withUnsafeBufferPointer { for pane in $0 { prefetch(pane) } }
    }

    /// Renames every user id in the panes: `mapping[old]` is the new id.
    mutating func remapUsers(_ mapping: [UInt32]) {
        func remap(_ pane: inout Pane) {
            for index in pane.slice.users.indices { pane.slice.users[index] = mapping[Int(pane.slice.users[index])] }
        }
        if newest != nil { remap(&newest!) }
        for index in older.indices { remap(&older[index]) }
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

    /// Drops the panes starting at or before `start` (the oldest ones).
    mutating func dropPanes(through start: Int64) {
        var count = older.count
        while count > 0 && older[count - 1].start <= start { count -= 1 }
        if count < older.count { older.removeLast(older.count - count) }
        if older.isEmpty, let pane = newest, pane.start <= start { newest = nil }
        firstPaneStart = older.last?.start ?? newest?.start
    }

    mutating func unlist() -> Bool {
        isListed = false
        return true
    }
}

/// A creator's open panes, newest first, read in place: the inline newest one, then the older list.
struct PaneList: RandomAccessCollection {
    let newest: Pane?
    let older: [Pane]

    var startIndex: Int { 0 }
    var endIndex: Int { newest == nil ? 0 : older.count + 1 }
    subscript(position: Int) -> Pane { position == 0 ? newest! : older[position - 1] }
}

/// The events of one `advance`-long slice of one creator's timeline.
struct Pane {
    let start: Int64
    var slice = Slice()
}
