import Engagement
import Pipeline
import Testing

@Suite("Job snapshots")
struct SnapshotTests {
    /// Seeded events with follows, snapshots, late events and many creators, as JSON lines.
    static func events(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let kinds = ["view", "like", "comment", "reply", "share", "save", "mention", "follow", "unfollow"]
        return (0..<count).map { index in
            let ts = 1_700_000_000_000 + Int64(index) * 150 - Int64(next(10) == 0 ? next(90_000) : 0)
            let creator = "c\(next(40))"
            if next(200) == 0 { return #"{"event_id":"f\#(index)","ts":\#(ts),"creator_id":"\#(creator)","kind":"followers","count":\#(next(5000))}"# }
            return #"{"event_id":"e\#(index)","ts":\#(ts),"creator_id":"\#(creator)","user_id":"u\#(next(3000))","kind":"\#(kinds[next(kinds.count)])","post_id":"p\#(next(30))"}"#
        }
    }

    static func run(_ job: inout EngagementJob, _ lines: ArraySlice<String>, into results: inout [WindowAggregate], names: inout [String]) {
        var closed: [WindowAggregate] = []
        for line in lines {
            var copy = line
            closed.removeAll()
            _ = copy.withUTF8 { bytes in job.process(UnsafeRawBufferPointer(bytes)) { closed.append($0) } }
            results += closed
            names += closed.map { job.decoder.creators.string($0.creator) }
        }
    }

    static let windowSpecs: [WindowSpec] = [
        .hopping(HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!),
        .sliding(SlidingWindows(maxDifference: 30_000, grace: 5_000)!),
        .session(SessionWindows(gap: 20_000, grace: 5_000)!),
    ]

    @Test("a job restored from a snapshot mid-stream gives exactly the results of an uninterrupted one, for every window kind",
          arguments: [1, 7_000, 19_999], [0, 1, 2])
    func restoreMidStream(cut: Int, spec: Int) throws {
        let lines = Self.events(count: 20_000, seed: UInt64(cut))
        var settings = EngagementJob.Settings(windows: Self.windowSpecs[spec])
        settings.activityHorizon = 600_000
        settings.streamTime = spec == 2 ? .key : .partition
        var straight = EngagementJob(settings: settings)
        var expected: [WindowAggregate] = [], expectedNames: [String] = []
        Self.run(&straight, lines[...], into: &expected, names: &expectedNames)

        var first = EngagementJob(settings: settings)
        var results: [WindowAggregate] = [], names: [String] = []
        Self.run(&first, lines[..<cut], into: &results, names: &names)
        let bytes = first.snapshot()
        var second = try EngagementJob(settings: settings, restoringFrom: bytes)
        Self.run(&second, lines[cut...], into: &results, names: &names)

        #expect(results == expected)
        #expect(names == expectedNames)
        #expect(second.lateEvents == straight.lateEvents)
        #expect(second.snapshot() == straight.snapshot())
    }

    @Test("truncated or foreign bytes are refused, not trusted")
    func corrupt() throws {
        let settings = EngagementJob.Settings(windows: HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!)
        var job = EngagementJob(settings: settings)
        var results: [WindowAggregate] = [], names: [String] = []
        Self.run(&job, Self.events(count: 2_000, seed: 3)[...], into: &results, names: &names)
        let bytes = job.snapshot()
        for length in [0, 3, 4, bytes.count / 2, bytes.count - 1] {
            #expect(throws: SnapshotError.self) { try EngagementJob(settings: settings, restoringFrom: Array(bytes.prefix(length))) }
        }
        #expect(throws: SnapshotError.self) { try EngagementJob(settings: settings, restoringFrom: bytes + [0]) }
        #expect(throws: SnapshotError.self) { try EngagementJob(settings: settings, restoringFrom: Array("{\"not\":\"a snapshot\"}".utf8)) }
    }
}
