import Detectors
import Engagement

/// The detector stage of a job: spike detectors on each creator's tumbling series of closed windows, the follower
/// ledger with its periodic health reports, and a drift detector on each creator's dormant share. Fed once per event
/// (ledger, hot posts) and once per closed window (spikes); everything else happens at window or report granularity.
struct DetectorStage {
    let settings: DetectorSettings
    let windows: HoppingWindows?
    private let weights: EngagementWeights
    var spikes: [SpikeDetector?] = []
    var hotPosts = HotPosts()
    var drift: [ChangePointDetector?] = []
    var communities: CommunitySpikes?
    var nextReport: Int64?
    var firstEventTime: Int64?
    /// Whether any detector runs (stored: the job asks for every event, and reading `settings` copies it).
    let isActive: Bool

    init(settings: DetectorSettings, windows: WindowSpec, weights: EngagementWeights) {
        self.settings = settings
        self.weights = weights
        if case .hopping(let hopping) = windows, settings.spikes != nil { self.windows = hopping } else { self.windows = nil }
        if let spikes = settings.spikes, let hopping = self.windows { communities = CommunitySpikes(settings: spikes, step: hopping.size) }
        isActive = self.windows != nil || settings.followers != nil
    }

    /// Feeds a valid event before its windows and the follower ledger see it: health reports of `followers` fall
    /// due, hot posts and community spikes learn.
    mutating func observe(_ event: InteractionEvent, followers: inout FollowerLedger, signal: (JobSignal) -> Void) {
        if firstEventTime == nil { firstEventTime = event.timestamp }
        if settings.followers != nil { reportDue(before: event.timestamp, ledger: &followers, signal: signal) }
        if windows != nil, event.post != InteractionEvent.none, event.kind.isEngagement {
            hotPosts.add(key: event.creator, post: event.post, weight: Float(weights[event.kind]))
        }
        if communities != nil, event.community != InteractionEvent.none, event.kind.isEngagement {
            var results: [(creator: UInt32, community: UInt32, signal: SpikeSignal, counts: KindCounts, windowEnd: Int64)] = []
            communities?.add(event, weight: weights[event.kind], watchedSince: firstEventTime ?? event.timestamp) {
                results.append(($0, $1, $2, $3, $4))
            }
            for result in results {
                switch result.signal {
                case .started(let start):
                    var context = context(creator: result.creator, counts: result.counts, windowEnd: result.windowEnd)
                    context.community = result.community
                    signal(.spikeStarted(creator: result.creator, start, context))
                case .ended(let end):
                    signal(.spikeEnded(creator: result.creator, community: result.community, end))
                }
            }
        }
    }

    /// Feeds a closed window: those starting on a multiple of the window size form the creator's spike series.
    mutating func observe(_ aggregate: WindowAggregate, signal: (JobSignal) -> Void) {
        guard let windows, let spikeSettings = settings.spikes, aggregate.start % windows.size == 0 else { return }
        let creator = Int(aggregate.creator)
        if creator >= spikes.count { spikes += repeatElement(nil, count: creator + 1 - spikes.count) }
        if spikes[creator] == nil {
            let watchedFrom = (firstEventTime ?? aggregate.start) / windows.size * windows.size
            spikes[creator] = SpikeDetector(
                settings: spikeSettings, step: windows.size,
                silentHistory: Int(max(aggregate.start - watchedFrom, 0) / windows.size))
        }
        var results: [SpikeSignal] = []
        spikes[creator]?.observe(windowStart: aggregate.start, audience: Double(aggregate.distinctUsers), score: aggregate.score) {
            results.append($0)
        }
        for result in results {
            switch result {
            case .started(let start):
                signal(.spikeStarted(creator: aggregate.creator, start, context(creator: aggregate.creator, counts: aggregate.counts, windowEnd: aggregate.end)))
            case .ended(let end):
                signal(.spikeEnded(creator: aggregate.creator, community: nil, end))
            }
        }
        hotPosts.decay(key: aggregate.creator)
    }

    /// The kinds of the window that raised a spike by score contribution, and the creator's hottest posts.
    private func context(creator: UInt32, counts: KindCounts, windowEnd: Int64) -> SpikeContext {
        let kinds = InteractionKind.counted.map { SpikeContext.KindShare(kind: $0, score: Double(counts[$0]) * weights[$0]) }
            .filter { $0.score > 0 }.sorted { $0.score > $1.score }
        let posts = hotPosts.top(key: creator).prefix(3).map { SpikeContext.PostShare(post: $0.post, weight: Double($0.weight)) }
        return SpikeContext(community: nil, windowEnd: windowEnd, topKinds: Array(kinds.prefix(3)), topPosts: posts)
    }

    /// Emits the health reports due before `time` (epoch-aligned every `reportEvery`) and feeds the drift detectors.
    private mutating func reportDue(before time: Int64, ledger: inout FollowerLedger, signal: (JobSignal) -> Void) {
        guard let followers = settings.followers else { return }
        let every = max(followers.reportEvery, 1)
        guard let due = nextReport else {
            nextReport = (time / every + 1) * every
            return
        }
        var instant = due
        while time >= instant {
            report(asOf: instant, settings: followers, ledger: &ledger, signal: signal)
            instant += every
            // After a long silence, one report stands for the whole gap.
            if time - instant > 400 * every { instant = (time / every) * every }
        }
        nextReport = instant
    }

    private mutating func report(
        asOf instant: Int64, settings followers: FollowerSettings, ledger: inout FollowerLedger, signal: (JobSignal) -> Void
    ) {
        for health in ledger.report(asOf: instant) {
            signal(.followerHealth(health))
            guard let share = health.dormantShare else { continue }
            let creator = Int(health.creator)
            if creator >= drift.count { drift += repeatElement(nil, count: creator + 1 - drift.count) }
            if drift[creator] == nil {
                // A share of few followers moves in steps of one follower: watch it from 100 tracked followers on,
                // with a noise scale of at least one follower.
                guard health.trackedFollowers >= 100 else { continue }
                var settings = followers.drift
                settings.scale = max(settings.scale ?? 0, 1 / Double(health.trackedFollowers))
                drift[creator] = ChangePointDetector(settings: settings)
            }
            guard let change = drift[creator]?.add(share), change.after > change.before else { continue }
            let onset = instant - Int64(change.detectedAt - change.index) * followers.reportEvery
            // A level reached within dormant_after of the ledger first seeing the creator is the ledger filling up
            // (followers already dormant when it started watching show only then), not drift.
            guard let firstSeen = ledger.firstSeen(creator: health.creator),
                  onset > firstSeen + followers.dormantAfter + followers.reportEvery
            else { continue }
            signal(.followerDrift(FollowerDrift(
                creator: health.creator, onset: onset, detectedAt: instant, shareBefore: change.before,
                shareAfter: change.after, confidence: change.confidence)))
        }
    }


    /// Renumbers creators after compaction (`mapping[old]` = new id, `UInt32.max` = dropped).
    mutating func remapCreators(_ mapping: [UInt32]) {
        spikes = Self.remapped(spikes, mapping)
        drift = Self.remapped(drift, mapping)
        hotPosts.remap(keys: mapping)
        communities?.remapCreators(mapping)
    }

    /// Renumbers users after compaction.
    mutating func remapUsers(_ mapping: [UInt32]) {
        communities?.remapUsers(mapping)
    }

    private static func remapped<T>(_ values: [T?], _ mapping: [UInt32]) -> [T?] {
        var moved = [T?]()
        for (old, new) in mapping.enumerated() where new != .max && old < values.count {
            if Int(new) >= moved.count { moved += repeatElement(nil, count: Int(new) + 1 - moved.count) }
            moved[Int(new)] = values[old]
        }
        return moved
    }
}
