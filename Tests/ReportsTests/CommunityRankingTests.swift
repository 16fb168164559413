import Reports
import Testing

@Suite("Creators ranked by engaged community")
struct CommunityRankingTests {
    static func health(_ creator: String, asOf: Int, followers: Int, engaged30d: Int, change: Int? = nil) -> String {
        let share = followers > 0 ? "\(Double(engaged30d) / Double(followers))" : "null"
        return #"{"schema_version":2,"type":"follower_health","creator_id":"\#(creator)","as_of":\#(asOf),"#
            + #""followers":\#(followers),"engaged_followers_7d":\#(engaged30d / 2),"engaged_followers_30d":\#(engaged30d),"#
            + #""engaged_share_30d":\#(share),"dormant_share":0.5,"engaged_followers_30d_change":\#(change.map(String.init) ?? "null")}"#
    }

    static func ranking(_ lines: [String]) -> CommunityRanking {
        var ranking = CommunityRanking()
        let text = (lines + [#"{"creator_id":"big","window_start":0,"window_end":60000,"score":1}"#, "not json"])
            .joined(separator: "\n")
        let added = Array(text.utf8).withUnsafeBytes { ranking.add(lines: $0) }
        #expect(added == lines.count)
        return ranking
    }

    @Test("the latest report per creator counts; ranks by engaged followers (30 d) and by followers side by side")
    func ranks() {
        let ranking = Self.ranking([
            Self.health("big", asOf: 2, followers: 10_000, engaged30d: 90, change: -10),
            Self.health("big", asOf: 1, followers: 9_000, engaged30d: 100),
            Self.health("small", asOf: 2, followers: 300, engaged30d: 150, change: 20),
            Self.health("mid", asOf: 2, followers: 2_000, engaged30d: 150),
            Self.health("quiet", asOf: 2, followers: 0, engaged30d: 0),
        ])
        let rows = ranking.ranked()
        #expect(rows.map(\.creator) == ["mid", "small", "big", "quiet"])
        #expect(rows.map(\.communityRank) == [1, 2, 3, 4])
        #expect(rows.map(\.followerRank) == [2, 3, 1, 4])
        #expect(
            rows[2].followers == 10_000 && rows[2].engagedFollowers30d == 90 && rows[2].engagedFollowers30dChange == -10
        )
        #expect(rows[3].engagedShare30d == nil)
        #expect(ranking.ranked(top: 2).map(\.creator) == ["mid", "small"])
        let table = CommunityRanking.table(ranking.ranked(top: 2)).split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }
        #expect(table.count == 3)
        #expect(table[1] == ["1", "2", "mid", "2000", "75", "150", "-", "7.5%", "50.0%"])
        #expect(table[2] == ["2", "3", "small", "300", "75", "150", "+20", "50.0%", "50.0%"])
    }
}
