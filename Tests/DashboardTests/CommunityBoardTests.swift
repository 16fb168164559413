import Dashboard
import Foundation
import Testing

@Suite struct CommunityBoardTests {
    private static let minute: Int64 = 60_000

    private static func window(
        _ creator: String, start: Int64, size: Int64 = minute, engaged: Int, engagedFollowers: Int, followers: Int
    )
        -> [String: Any]
    {
        [
            "schema_version": 2, "creator_id": creator, "window_start": start, "window_end": start + size,
            "score": Double(engaged),
            "engaged_users": engaged, "engaged_followers": engagedFollowers, "followers": followers,
        ]
    }

    private static func health(_ creator: String, asOf: Int64, followers: Int, engaged30d: Int, dormant: Double)
        -> [String: Any]
    {
        [
            "schema_version": 2, "type": "follower_health", "creator_id": creator, "as_of": asOf,
            "followers": followers,
            "engaged_followers_30d": engaged30d, "dormant_share": dormant,
        ]
    }

    @Test func averagesOverWindowSlotsOfTheLastHourAndDayInEventTime() {
        var board = CommunityBoard()
        let day: Int64 = 86_400_000
        // A day of minute windows of 2 engaged users, then an hour of 10; overlapping hopping windows are ignored.
        for minute in 0..<(24 * 60) {
            let engaged = minute >= 23 * 60 ? 10 : 2
            board.add(
                Self.window(
                    "a", start: Int64(minute) * Self.minute, engaged: engaged, engagedFollowers: engaged / 2,
                    followers: 100))
            board.add(
                Self.window(
                    "a", start: Int64(minute) * Self.minute + 10_000, engaged: 999, engagedFollowers: 999,
                    followers: 100))
        }
        #expect(board.now == day)
        let row = board.leaderboard()[0]
        #expect(row["engaged_users_1h"] as? Int == 600)
        #expect(row["engaged_users_1d"] as? Int == 23 * 60 * 2 + 600)
        #expect(abs((row["engaged_share_1h"] as? Double ?? 0) - 0.05) < 1e-9)
        #expect(abs((row["engaged_share_1d"] as? Double ?? 0) - (23.0 * 1 + 5) / 24 / 100) < 1e-9)
    }

    @Test func windowsWithoutEngagementCountAsZeroInTheShare() {
        var board = CommunityBoard()
        board.add(Self.window("quiet", start: 0, engaged: 6, engagedFollowers: 6, followers: 10))
        board.add(Self.window("busy", start: 0, engaged: 1, engagedFollowers: 1, followers: 10))
        board.add(Self.window("busy", start: 59 * Self.minute, engaged: 1, engagedFollowers: 1, followers: 10))
        let rows = Dictionary(uniqueKeysWithValues: board.leaderboard().map { ($0["creator"] as! String, $0) })
        #expect(abs((rows["quiet"]?["engaged_share_1h"] as? Double ?? 0) - 0.01) < 1e-9)  // 6 of 10 in 1 of 60 slots
        #expect(abs((rows["busy"]?["engaged_share_1h"] as? Double ?? 0) - 2.0 / 60 / 10) < 1e-9)
        #expect(rows["busy"]?["engaged_users_1h"] as? Int == 2)
    }

    @Test func ranksByEngagedCommunityNextToFollowers() {
        var board = CommunityBoard()
        board.add(Self.health("big", asOf: 1, followers: 10_000, engaged30d: 50, dormant: 0.9))
        board.add(Self.health("small", asOf: 1, followers: 300, engaged30d: 200, dormant: 0.2))
        board.add(Self.health("mid", asOf: 1, followers: 2_000, engaged30d: 100, dormant: 0.5))
        board.add(Self.health("mid", asOf: 0, followers: 1, engaged30d: 1_000, dormant: 0))  // older: ignored
        let rows = board.leaderboard()
        #expect(rows.map { $0["creator"] as? String } == ["small", "mid", "big"])
        #expect(rows.map { $0["follower_rank"] as? Int } == [3, 2, 1])
        #expect(rows[1]["followers"] as? Int == 2_000)
    }

    @Test func feedIsNewestFirstWithoutDuplicates() {
        var board = CommunityBoard()
        let started: [String: Any] = [
            "type": "spike_started", "creator_id": "a", "onset": 1_000, "window_end": 2_000, "severity": 8.25,
        ]
        let first = board.add(started)
        let again = board.add(started)  // at-least-once duplicate
        #expect(first && !again)
        board.add([
            "type": "follower_drift", "creator_id": "b", "onset": 5_000, "detected_at": 9_000, "share_before": 0.1,
            "share_after": 0.4,
        ])
        // Raised earlier than the drift, delivered after it (another partition): listed below it.
        board.add([
            "type": "follower_drift", "creator_id": "c", "onset": 500, "detected_at": 1_500, "share_before": 0.2,
            "share_after": 0.3,
        ])
        let feed = board.feed()
        #expect(feed.map { $0["creator"] as? String } == ["b", "a", "c"])
        #expect(feed[0]["summary"] as? String == "dormant 10 % → 40 %")
        #expect(feed[1]["summary"] as? String == "8.2σ above baseline")
        #expect(board.leaderboard().first { $0["creator"] as? String == "a" }?["spiking"] as? Bool == true)
        board.add(["type": "spike_ended", "creator_id": "a", "onset": 1_000, "end": 3_000])
        #expect(board.leaderboard().first { $0["creator"] as? String == "a" }?["spiking"] as? Bool == false)
    }

    @Test func evictsTheStalestCreatorAtTheCap() {
        var limits = CommunityBoard.Limits()
        limits.maxCreators = 3
        var board = CommunityBoard(limits: limits)
        for (index, creator) in ["a", "b", "c"].enumerated() {
            board.add(
                Self.window(
                    creator, start: Int64(index + 1) * Self.minute, engaged: 1, engagedFollowers: 0, followers: 1))
        }
        board.add(Self.window("a", start: 10 * Self.minute, engaged: 1, engagedFollowers: 0, followers: 1))
        board.add(Self.window("d", start: 11 * Self.minute, engaged: 1, engagedFollowers: 0, followers: 1))
        #expect(board.creatorCount == 3)
        #expect(board.evictions == 1)
        #expect(Set(board.leaderboard().compactMap { $0["creator"] as? String }) == ["a", "c", "d"])
    }

    @Test func historyIsBoundedInEventTime() {
        var limits = CommunityBoard.Limits()
        limits.history = 86_400_000
        var board = CommunityBoard(limits: limits)
        for minute in 0..<(3 * 24 * 60) {
            board.add(
                Self.window("a", start: Int64(minute) * Self.minute, engaged: 1, engagedFollowers: 0, followers: 1))
        }
        let windows = board.creator("a")?["windows_kept"] as? Int ?? 0
        #expect(windows > 24 * 60 && windows <= 24 * 60 * 11 / 10 + 1)
    }

    @Test func aHostileCreatorIdStaysAStringInTheJSONAndTheChart() throws {
        let hostile = "<script>alert(\"x\")</script>'&" + String(repeating: "é", count: 32_768)
        let state = DashboardState()
        let line = try JSONSerialization.data(
            withJSONObject: Self.window(hostile, start: 0, engaged: 3, engagedFollowers: 1, followers: 5))
        let added = line.withUnsafeBytes { state.add(lines: $0) }
        #expect(added == 1)
        let overview = try #require(
            try JSONSerialization.jsonObject(with: Data(state.overviewJSON())) as? [String: Any])
        let rows = try #require(overview["leaderboard"] as? [[String: Any]])
        #expect(rows.first?["creator"] as? String == hostile)
        let chart = try #require(state.chart(hostile))
        #expect(!chart.contains("<script>"))
        #expect(chart.contains("&lt;script&gt;"))
    }
}
