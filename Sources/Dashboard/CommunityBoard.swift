import Foundation
import Reports

/// What the dashboard shows, built from result records as they arrive (engagement windows, spikes, follower health
/// and drift, in any order and with at-least-once duplicates): a leaderboard of creators, a feed of alerts and each
/// creator's story for a chart.
///
/// Time is event time: "the last hour" ends at the newest window end seen, so a replay or a compressed demo reads
/// the same as live traffic. Memory is bounded: at most `maxCreators` creators are tracked (when a new one arrives
/// at the cap, the one whose newest record is oldest in event time is evicted, with its story; it comes back with
/// its next record), each keeps `history` of event time, and the feed keeps the newest `feedSize` alerts.
public struct CommunityBoard: Sendable {
    /// The bounds of the board.
    public struct Limits: Sendable {
        /// The most creators tracked at once.
        public var maxCreators = 2_000
        /// How much event time each creator's windows and reports are kept for (ms); at least a day, since the
        /// leaderboard averages over one.
        public var history: Int64 = 2 * 86_400_000
        /// The most alerts in the feed.
        public var feedSize = 200

        /// The default limits.
        public init() {}
    }

    /// One alert of the feed.
    public struct Alert: Sendable, Equatable {
        /// `spike_started`, `spike_ended` or `follower_drift`.
        public var kind: String
        public var creator: String
        /// The spike's onset or the drift's onset (epoch ms).
        public var onset: Int64
        /// When it was raised: the window end that raised a spike, a spike's end, a drift's detection (epoch ms).
        public var at: Int64
        /// A one-line description of the figures ("8.1σ above baseline", "dormant 12 % → 31 %").
        public var summary: String
        /// The community tag of a tagged spike.
        public var community: String?
    }

    /// One window's figures kept for the leaderboard.
    struct WindowFigures: Sendable {
        var end: Int64
        var engagedUsers: Int32
        var engagedFollowers: Int32
    }

    /// Everything kept about one creator.
    struct Track: Sendable {
        var story: CreatorStory
        /// Non-overlapping windows, in arrival order.
        var windows: [WindowFigures] = []
        var followers: Int?
        var engagedFollowers30d: Int?
        var dormantShare: Double?
        var lastSeen: Int64 = .min
        /// Bumped whenever the creator's story changes, so a view knows when to redraw.
        var version = 0
    }

    public let limits: Limits
    private(set) var tracks: [String: Track] = [:]
    /// The feed, by the time each alert was raised, oldest first (partitions deliver in their own order).
    public private(set) var alerts: [Alert] = []
    /// The newest window end seen (epoch ms): the board's "now".
    public private(set) var now: Int64?
    /// The size of the engagement windows seen (ms), for labels.
    public private(set) var windowSize: Int64?
    /// Bumped whenever anything shown changes.
    public private(set) var version = 0
    /// Creators evicted at the cap so far.
    public private(set) var evictions = 0

    /// An empty board.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// How many creators are tracked.
    public var creatorCount: Int { tracks.count }

    /// Adds one result record; records of unknown kinds and malformed ones are skipped.
    /// - Returns: whether the record changed the board.
    @discardableResult
    public mutating func add(_ record: [String: Any]) -> Bool {
        guard let creator = record["creator_id"] as? String else { return false }
        let type = record["type"] as? String
        guard type == nil || Self.kinds.contains(type!) else { return false }
        var track = tracks[creator] ?? Track(story: CreatorStory(creator: creator))
        let added: Bool
        switch type {
        case nil: added = addWindow(record, to: &track)
        case "follower_health": added = addHealth(record, to: &track)
        default: added = addAlert(record, kind: type!, creator: creator, to: &track)
        }
        guard added else { return false }
        track.version += 1
        if tracks[creator] == nil { makeRoom() }
        tracks[creator] = track
        version += 1
        return true
    }

    /// The creators by engaged community (engaged followers over 30 days from the latest health report; creators
    /// without one after, by engaged users over the last day), each with its rank by followers and the `Figures`
    /// of the last hour and day.
    public func leaderboard(top: Int = 50) -> [[String: Any]] {
        var rows = tracks.map { creator, track -> (String, Track, Figures, Figures) in
            (creator, track, figures(track, over: Self.hour), figures(track, over: Self.day))
        }
        rows.sort { ($0.1.followers ?? -1, $1.0) > ($1.1.followers ?? -1, $0.0) }
        var followerRank: [String: Int] = [:]
        for (index, row) in rows.enumerated() { followerRank[row.0] = index + 1 }
        rows.sort {
            ($0.1.engagedFollowers30d ?? -1, $0.3.engagedUsers, $1.0) > (
                $1.1.engagedFollowers30d ?? -1, $1.3.engagedUsers, $0.0
            )
        }
        return rows.prefix(top).enumerated().map { index, row in
            var object = Self.figuresObject(row.1, lastHour: row.2, lastDay: row.3)
            object["creator"] = row.0
            object["community_rank"] = index + 1
            object["follower_rank"] = followerRank[row.0] ?? 0
            return object
        }
    }

    /// The feed, the most recently raised first.
    public func feed() -> [[String: Any]] {
        alerts.reversed().map { alert in
            var object: [String: Any] = [
                "kind": alert.kind, "creator": alert.creator, "onset": alert.onset, "at": alert.at,
                "summary": alert.summary,
            ]
            object["community"] = alert.community
            return object
        }
    }

    /// One creator's figures, spikes and drifts, nil for a creator not tracked.
    public func creator(_ id: String) -> [String: Any]? {
        guard let track = tracks[id] else { return nil }
        var object = Self.figuresObject(
            track, lastHour: figures(track, over: Self.hour), lastDay: figures(track, over: Self.day))
        object["creator"] = id
        object["version"] = track.version
        object["windows_kept"] = track.windows.count
        object["spikes"] = track.story.spikes.reversed().map { spike -> [String: Any] in
            var entry: [String: Any] = ["onset": spike.onset]
            entry["end"] = spike.end
            entry["severity"] = spike.severity
            entry["community"] = spike.community
            return entry
        }
        object["drifts"] = track.story.drifts.reversed().map {
            ["onset": $0.onset, "share_before": $0.shareBefore, "share_after": $0.shareAfter]
        }
        return object
    }

    /// The version of one creator's story (0 when not tracked): a view redraws its chart when it moves.
    public func creatorVersion(_ id: String) -> Int { tracks[id]?.version ?? 0 }

    /// One creator's chart as `resonance report` draws it, nil when not tracked or nothing to draw.
    public func chart(_ id: String) -> String? {
        tracks[id].flatMap { EngagementChart().svg($0.story) }
    }

    // MARK: - Adding records

    private static let kinds: Set<String> = ["spike_started", "spike_ended", "follower_health", "follower_drift"]

    private mutating func addWindow(_ record: [String: Any], to track: inout Track) -> Bool {
        guard let start = Self.int(record["window_start"]), let end = Self.int(record["window_end"]), end > start
        else { return false }
        let size = end - start
        // Hopping windows overlap; the ones starting on a multiple of their size tile time, and only those count,
        // so a user-minute is counted once.
        guard start % size == 0 else { return false }
        if let followers = Self.int(record["followers"]) { track.followers = Int(followers) }
        guard !track.windows.contains(where: { $0.end == end }) else { return false }
        guard track.story.add(record) else { return false }
        track.windows.append(
            WindowFigures(
                end: end, engagedUsers: Int32(clamping: Self.int(record["engaged_users"]) ?? 0),
                engagedFollowers: Int32(clamping: Self.int(record["engaged_followers"]) ?? 0)))
        windowSize = size
        track.lastSeen = max(track.lastSeen, end)
        now = max(now ?? end, end)
        trim(&track)
        return true
    }

    private mutating func addHealth(_ record: [String: Any], to track: inout Track) -> Bool {
        guard let asOf = Self.int(record["as_of"]), !track.story.health.contains(where: { $0.asOf == asOf }),
            track.story.add(record)
        else { return false }
        if asOf >= (track.story.health.map(\.asOf).max() ?? asOf) {
            track.followers = Self.int(record["followers"]).map(Int.init) ?? track.followers
            track.engagedFollowers30d = Self.int(record["engaged_followers_30d"]).map(Int.init)
            track.dormantShare = (record["dormant_share"] as? NSNumber)?.doubleValue
        }
        track.lastSeen = max(track.lastSeen, asOf)
        return true
    }

    private mutating func addAlert(_ record: [String: Any], kind: String, creator: String, to track: inout Track)
        -> Bool
    {
        guard let onset = Self.int(record["onset"]) else { return false }
        let community = record["community"] as? String
        let at =
            Self.int(record[kind == "spike_started" ? "window_end" : kind == "spike_ended" ? "end" : "detected_at"])
            ?? onset
        // A result emitted twice (at-least-once delivery) is shown once.
        guard
            !alerts.contains(where: {
                $0.kind == kind && $0.creator == creator && $0.onset == onset && $0.community == community
            })
        else { return false }
        track.story.add(record)
        let alert = Alert(
            kind: kind, creator: creator, onset: onset, at: at, summary: Self.summary(record, kind: kind),
            community: community)
        alerts.insert(alert, at: alerts.lastIndex { $0.at <= at }.map { $0 + 1 } ?? 0)
        if alerts.count > limits.feedSize { alerts.removeFirst(alerts.count - limits.feedSize) }
        track.lastSeen = max(track.lastSeen, at)
        return true
    }

    private static func summary(_ record: [String: Any], kind: String) -> String {
        let number = { (key: String) in (record[key] as? NSNumber)?.doubleValue }
        switch kind {
        case "spike_started":
            let direction = record["direction"] as? String == "down" ? "below" : "above"
            return number("severity").map { String(format: "%.1fσ %@ baseline", $0, direction) } ?? "spike"
        case "spike_ended":
            return "calmed down"
        default:
            guard let before = number("share_before"), let after = number("share_after") else { return "drift" }
            return String(format: "dormant %.0f %% → %.0f %%", before * 100, after * 100)
        }
    }

    /// Drops what is older than `history` once it is 10 % over, so trimming costs little per record.
    private func trim(_ track: inout Track) {
        guard let now, let oldest = track.windows.first?.end, now - oldest > limits.history + limits.history / 10 else {
            return
        }
        let cut = now - limits.history
        track.windows.removeAll { $0.end < cut }
        track.story.forget(before: cut)
    }

    /// Evicts the creator whose newest record is oldest when a new one would pass the cap.
    private mutating func makeRoom() {
        guard tracks.count >= limits.maxCreators,
            let stalest = tracks.min(by: { ($0.value.lastSeen, $0.key) < ($1.value.lastSeen, $1.key) })?.key
        else { return }
        tracks[stalest] = nil
        evictions += 1
    }

    // MARK: - Figures

    private static let hour: Int64 = 3_600_000
    private static let day: Int64 = 86_400_000

    /// What the leaderboard and the creator view both show of a creator.
    private static func figuresObject(_ track: Track, lastHour: Figures, lastDay: Figures) -> [String: Any] {
        var object: [String: Any] = [
            "engaged_users_1h": lastHour.engagedUsers, "engaged_users_1d": lastDay.engagedUsers,
            "spiking": track.story.spikes.contains { $0.end == nil },
        ]
        object["followers"] = track.followers
        object["engaged_share_1h"] = lastHour.engagedShare
        object["engaged_share_1d"] = lastDay.engagedShare
        object["engaged_followers_30d"] = track.engagedFollowers30d
        object["dormant_share"] = track.dormantShare
        return object
    }

    /// Over the last `span` ms before `now`: engaged users summed over the windows (a person who engaged in three
    /// windows counts three times: windows hold distinct counts, not identities), and engaged followers per window
    /// over the latest follower count, averaged over the window slots since the creator's first window (a slot
    /// without a record had no engagement and counts as zero).
    struct Figures {
        var engagedUsers = 0
        var engagedShare: Double?
    }

    private func figures(_ track: Track, over span: Int64) -> Figures {
        guard let now, let windowSize, let first = track.windows.first else { return Figures() }
        let slots = Double(max(1, min(span, now - first.end + windowSize) / windowSize))
        var users = 0
        var engagedFollowers = 0.0
        for window in track.windows.reversed() {
            guard window.end > now - span else { break }
            users += Int(window.engagedUsers)
            engagedFollowers += Double(window.engagedFollowers)
        }
        let followers = Double(track.followers ?? 0)
        return Figures(engagedUsers: users, engagedShare: followers > 0 ? engagedFollowers / slots / followers : nil)
    }

    private static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }
}
