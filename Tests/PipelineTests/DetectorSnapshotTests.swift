import Detectors
import Engagement
import Pipeline
import Testing

@Suite("Detector state in job snapshots")
struct DetectorSnapshotTests {
    static var settings: EngagementJob.Settings {
        var settings = EngagementJob.Settings(windows: HoppingWindows(size: 60_000, advance: 20_000, grace: 5_000)!)
        var spikes = SpikeSettings()
        spikes.warmupWindows = 30
        spikes.cooldownWindows = 30
        spikes.burstWindows = 6
        var followers = FollowerSettings()
        followers.dormantAfter = 3_600_000
        followers.reportEvery = 600_000
        settings.detectors.spikes = spikes
        settings.detectors.followers = followers
        return settings
    }

    /// Eight hours of seeded traffic: follows, engagement that fades for some creators, and a burst at hour five.
    static func events() -> [String] {
        var state: UInt64 = 5
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let kinds = ["view", "like", "comment", "share", "follow", "unfollow"]
        return (0..<30_000).map { index in
            let ts = 1_700_000_000_000 + Int64(index) * 1000
            let burst = index > 18_000 && index < 18_600 && next(2) == 0
            let creator = burst ? "c3" : "c\(next(12))"
            let user = burst ? "fan\(next(5000))" : "u\(next(index < 10_000 ? 400 : 100))"
            let kind = index < 2000 ? "follow" : kinds[next(kinds.count)]
            let community = burst || next(4) == 0 ? #","community":"tag\#(burst ? 0 : next(3))""# : ""
            return #"{"event_id":"e\#(index)","ts":\#(ts),"creator_id":"\#(creator)","user_id":"\#(user)","kind":"\#(kind)","post_id":"p\#(next(5))"\#(community)}"#
        }
    }

    static func run(_ job: inout EngagementJob, _ lines: ArraySlice<String>, into output: inout [String]) {
        for line in lines {
            var copy = line
            var closed: [WindowAggregate] = [], signals: [JobSignal] = []
            _ = copy.withUTF8 { job.process(UnsafeRawBufferPointer($0), emit: { closed.append($0) }, signal: { signals.append($0) }) }
            for aggregate in closed {
                var bytes: [UInt8] = []
                AggregateJSON.append(aggregate, creators: job.decoder.creators, to: &bytes)
                output.append(String(decoding: bytes, as: UTF8.self))
            }
            for signal in signals {
                var bytes: [UInt8] = []
                SignalJSON.append(signal, decoder: job.decoder, to: &bytes)
                output.append(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    @Test("spike baselines, hot posts, the ledger and drift detectors survive a snapshot exactly", arguments: [500, 12_000, 18_300, 29_000])
    func restoreMidStream(cut: Int) throws {
        let lines = Self.events()
        var straight = EngagementJob(settings: Self.settings)
        var expected: [String] = []
        Self.run(&straight, lines[...], into: &expected)
        #expect(expected.contains { $0.contains(#""type":"spike_started""#) && $0.contains(#""community":null"#) })
        #expect(expected.contains { $0.contains(#""type":"spike_started""#) && $0.contains(#""community":"tag0""#) })
        #expect(expected.contains { $0.contains(#""type":"follower_health""#) && !$0.contains(#""dormant":0,"#) })

        var first = EngagementJob(settings: Self.settings)
        var output: [String] = []
        Self.run(&first, lines[..<cut], into: &output)
        var second = try EngagementJob(settings: Self.settings, restoringFrom: first.snapshot())
        Self.run(&second, lines[cut...], into: &output)
        #expect(output == expected)
        #expect(second.snapshot() == straight.snapshot())
    }
}
