import Foundation

/// Creators ranked by their engaged community — the followers who engaged in the last 30 days — next to their rank by
/// follower count, from the latest `follower_health` record of each creator. Built from result records in any order;
/// records of other kinds are skipped.
public struct CommunityRanking: Sendable, Equatable {
    /// One creator's latest health figures and both ranks.
    public struct Row: Sendable, Equatable {
        public var creator: String
        /// The health report's instant (epoch ms).
        public var asOf: Int64
        public var followers: Int
        public var engagedFollowers7d: Int
        public var engagedFollowers30d: Int
        /// Engaged followers (30 days) per follower; nil without a positive follower count.
        public var engagedShare30d: Double?
        public var dormantShare: Double?
        /// The change of `engagedFollowers30d` since the previous report; nil for a creator's first report.
        public var engagedFollowers30dChange: Int?
        /// 1 for the largest engaged community (ties: more followers first, then creator id).
        public var communityRank = 0
        /// 1 for the most followers (ties: creator id).
        public var followerRank = 0
    }

    private var latest: [String: Row] = [:]

    /// An empty ranking.
    public init() {}

    /// Adds every `follower_health` line of the UTF-8 JSON Lines `bytes`.
    /// - Returns: how many records were added.
    @discardableResult
    public mutating func add(lines bytes: UnsafeRawBufferPointer) -> Int {
        ResultLines.forEachObjectLine(in: bytes) { line in ResultLines.object(line).map { add($0) } ?? false }
    }

    /// Adds one result record if it is a follower-health report newer than the creator's last one.
    /// - Returns: whether it was a follower-health report.
    @discardableResult
    public mutating func add(_ record: [String: Any]) -> Bool {
        guard record["type"] as? String == "follower_health", let creator = record["creator_id"] as? String,
            let asOf = Self.int(record["as_of"]), let followers = Self.int(record["followers"])
        else { return false }
        if let known = latest[creator], known.asOf >= asOf { return true }
        latest[creator] = Row(
            creator: creator, asOf: asOf, followers: Int(followers),
            engagedFollowers7d: Self.int(record["engaged_followers_7d"]).map(Int.init) ?? 0,
            engagedFollowers30d: Self.int(record["engaged_followers_30d"]).map(Int.init) ?? 0,
            engagedShare30d: (record["engaged_share_30d"] as? NSNumber)?.doubleValue,
            dormantShare: (record["dormant_share"] as? NSNumber)?.doubleValue,
            engagedFollowers30dChange: Self.int(record["engaged_followers_30d_change"]).map(Int.init))
        return true
    }

    /// How many creators have a report.
    public var count: Int { latest.count }

    /// The creators by engaged community, the first `top` of them (all when nil), each with both ranks.
    public func ranked(top: Int? = nil) -> [Row] {
        var byFollowers = latest.values.sorted { ($0.followers, $1.creator) > ($1.followers, $0.creator) }
        for index in byFollowers.indices { byFollowers[index].followerRank = index + 1 }
        var rows = byFollowers.sorted {
            ($0.engagedFollowers30d, $0.followers, $1.creator) > ($1.engagedFollowers30d, $1.followers, $0.creator)
        }
        for index in rows.indices { rows[index].communityRank = index + 1 }
        return Array(rows.prefix(top ?? rows.count))
    }

    /// The rows as a fixed-width table with a header line.
    public static func table(_ rows: [Row]) -> String {
        var lines = [
            TextColumns.line([
                ("rank", 4), ("by fol", 6), ("creator", -16), ("followers", 9), ("eng.7d", 7), ("eng.30d", 7),
                ("change", 7), ("share", 7), ("dormant", 7),
            ])
        ]
        for row in rows {
            lines.append(
                TextColumns.line([
                    (String(row.communityRank), 4), (String(row.followerRank), 6), (row.creator, -16),
                    (String(row.followers), 9), (String(row.engagedFollowers7d), 7),
                    (String(row.engagedFollowers30d), 7),
                    (row.engagedFollowers30dChange.map { String(format: "%+d", $0) } ?? "-", 7),
                    (percent(row.engagedShare30d), 7), (percent(row.dormantShare), 7),
                ]))
        }
        return lines.joined(separator: "\n")
    }

    private static func percent(_ share: Double?) -> String { share.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    private static func int(_ value: Any?) -> Int64? { (value as? NSNumber)?.int64Value }
}
