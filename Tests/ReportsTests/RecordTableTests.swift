import Reports
import Testing

@Suite("The table view of resonance consume")
struct RecordTableTests {
    static let aggregate = #"""
        {"schema_version":2,"creator_id":"c1","window_start":60000,"window_end":120000,"like":1,"comment":2,"reply":1,\#
        "share":0,"view":3,"follow":5,"engaged_users":2,"reach":5,"engaged_followers":1,"followers":40,\#
        "engagement_rate":0.05,"engaged_follower_share":0.025,"score":9.5}
        """#
    static let spike = #"""
        {"schema_version":2,"type":"spike_started","creator_id":"c1","onset":60000,"observed_users":30,\#
        "expected_users":2.5,"observed_score":80,"expected_score":6,"severity":9.1,"top_kinds":[],"top_posts":[]}
        """#
    static let health = #"""
        {"schema_version":2,"type":"follower_health","creator_id":"c2","as_of":86400000,"followers":120,\#
        "followers_change":-3,"engaged_followers_7d":12,"engaged_followers_30d":30,"engaged_share_30d":0.25,\#
        "dormant_share":0.6,"dormant_share_change":0.015,"unmatched_unfollows":2}
        """#

    static func lines(_ values: [String]) -> [String] {
        var table = RecordTable()
        return values.flatMap { value in
            Array(value.utf8).withUnsafeBytes { table.lines(topic: "t", value: $0) }.split(separator: "\n").map(
                String.init)
        }
    }

    @Test("each tabular kind prints its header when its rows follow other lines; the columns hold the record's fields")
    func headers() {
        let lines = Self.lines([Self.aggregate, Self.aggregate, Self.spike, Self.aggregate, Self.health, Self.health])
        #expect(lines.count == 9)
        #expect(lines.indices.filter { lines[$0].hasPrefix("window (UTC)") } == [0, 4])
        #expect(lines.indices.filter { lines[$0].hasPrefix("health as of") } == [6])
        let aggregate = lines[1].split(separator: " ").map(String.init)
        // window start, creator, engaged, reach, likes, talk, shares, views, score, followers, rate, share
        #expect(aggregate.dropFirst() == ["c1", "2", "5", "1", "3", "0", "3", "9.5", "40", "5.0%", "2.5%"])
        #expect(lines[3].contains("SPIKE: 30 users vs 2.5 expected"))
        let health = lines[7].split(separator: " ").map(String.init)
        #expect(health.dropFirst() == ["c2", "120", "-3", "12", "30", "25.0%", "60.0%", "+1.5pt", "2"])
    }

    @Test("a value that is not a result record prints as topic and value")
    func other() {
        #expect(Self.lines(["not json"]) == ["t: not json"])
    }
}
