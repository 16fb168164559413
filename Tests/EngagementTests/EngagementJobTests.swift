import Engagement
import Pipeline
import Testing

@Suite("Engagement job")
struct EngagementJobTests {
    static func job(unknownKinds: EngagementJob.UnknownKindPolicy = .reject) -> EngagementJob {
        var settings = EngagementJob.Settings(windows: HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!)
        settings.unknownKinds = unknownKinds
        return EngagementJob(settings: settings)
    }

    static func process(
        _ job: inout EngagementJob, _ line: String, partition: Int32 = 0, into out: inout [WindowAggregate]
    ) -> Rejection? {
        var copy = line
        return copy.withUTF8 { job.process(UnsafeRawBufferPointer($0), partition: partition) { out.append($0) } }
    }

    static func event(_ ts: Int64, kind: String = "like", creator: String = "c1") -> String {
        #"{"event_id":"e","ts":\#(ts),"creator_id":"\#(creator)","user_id":"u1","kind":"\#(kind)"}"#
    }

    static let base: Int64 = 1_000_000_000_000
    static let day: Int64 = 86_400_000
    static let timeCases: [(Int64, RejectionReason?)] = [
        (-1, .timestampOutOfRange),
        (4_102_444_800_001, .timestampOutOfRange),
        (base + day + 1, .timestampOutOfRange),  // more than a day ahead
        (base - 30 * day - 1, .timestampOutOfRange),  // more than 30 days behind
        (base + day, nil),
        (base - 60_000, nil),  // late, not absurd
    ]

    @Test("a lookahead over runs of records, with positions skipped, gives what processing them one by one gives")
    func lookaheadRuns() {
        var random = SystemRandomNumberGenerator()
        let lines = (0..<4000).map { index -> String in
            index % 97 == 5
                ? "not json"
                : #"{"event_id":"e\#(index)","ts":\#(Self.base + Int64(index) * 150),"creator_id":"c\#(index % 37)","user_id":"u\#(index % 911)","kind":"like"}"#
        }
        let buffers = lines.map { line in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: line.utf8.count, alignment: 1)
            _ = buffer.initializeMemory(as: UInt8.self, from: line.utf8)
            return UnsafeRawBufferPointer(buffer)
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        let skipped = Set((0..<200).map { _ in Int.random(in: 0..<buffers.count, using: &random) })
        var plain = Self.job()
        var ahead = Self.job()
        var expected: [WindowAggregate] = []
        var got: [WindowAggregate] = []
        var expectedRejections = 0
        var rejections = 0
        for index in buffers.indices where !skipped.contains(index) {
            if plain.process(buffers[index], emit: { expected.append($0) }) != nil { expectedRejections += 1 }
        }
        var lookahead = RecordLookahead()
        var runStart = 0
        while runStart < buffers.count {
            let runEnd = min(buffers.count, runStart + Int.random(in: 1...60, using: &random))
            lookahead.begin(count: runEnd - runStart)
            for index in runStart..<runEnd where !skipped.contains(index) {
                let record = lookahead.take(index - runStart, job: &ahead) { buffers[runStart + $0] }
                if ahead.process(record, emit: { got.append($0) }) != nil { rejections += 1 }
            }
            runStart = runEnd
        }
        #expect(!expected.isEmpty)
        #expect(got == expected)
        #expect(rejections == expectedRejections)
    }

    @Test("timestamp_out_of_range: absurd clocks and skews from the partition's stream time", arguments: timeCases)
    func timeBounds(ts: Int64, expected: RejectionReason?) {
        var job = Self.job()
        var out: [WindowAggregate] = []
        #expect(Self.process(&job, Self.event(1_000_000_000_000), into: &out) == nil)
        #expect(Self.process(&job, Self.event(ts), into: &out)?.reason == expected)
    }

    @Test("a first record in seconds instead of milliseconds is outvoted by the eight records after it")
    func poisonedFirstRecord() {
        var job = Self.job()
        var out: [WindowAggregate] = []
        #expect(Self.process(&job, Self.event(Self.base / 1000), into: &out) == nil)  // January 1970: plausible alone
        let reasons = (0..<20).map { Self.process(&job, Self.event(Self.base + Int64($0) * 1000), into: &out)?.reason }
        #expect(reasons.prefix(7).allSatisfy { $0 == .timestampOutOfRange })
        #expect(reasons.dropFirst(7).allSatisfy { $0 == nil })
        // Later events are judged against the outvoted stream time, not against the poison.
        #expect(Self.process(&job, Self.event(Self.base + 2 * Self.day), into: &out)?.reason == .timestampOutOfRange)
    }

    @Test("records too far ahead that disagree with each other never outvote the stream time")
    func scatteredAhead() {
        var job = Self.job()
        var out: [WindowAggregate] = []
        #expect(Self.process(&job, Self.event(Self.base), into: &out) == nil)
        for index in 0..<40 {
            let far = Self.base + (index % 2 == 0 ? 10 : 50) * Self.day  // two clocks, 40 days apart
            #expect(Self.process(&job, Self.event(far), into: &out)?.reason == .timestampOutOfRange)
        }
        // A bad record in the middle of the stream did not move it either.
        #expect(Self.process(&job, Self.event(Self.base + 60_000), into: &out) == nil)
    }

    @Test("an event may not be more than max_future_skew younger than its record's broker timestamp")
    func brokerTimestamp() {
        var job = Self.job()
        var out: [WindowAggregate] = []
        var first = Self.event(Self.base + Self.day + 1)
        let ahead = first.withUTF8 {
            job.process(UnsafeRawBufferPointer($0), recordTime: Self.base, emit: { out.append($0) })
        }
        #expect(ahead?.reason == .timestampOutOfRange)
        var second = Self.event(Self.base + Self.day)
        #expect(
            second.withUTF8 { job.process(UnsafeRawBufferPointer($0), recordTime: Self.base, emit: { out.append($0) }) }
                == nil)
        var backfill = Self.event(Self.base + Self.day - 20 * Self.day)
        #expect(
            backfill.withUTF8 {
                job.process(UnsafeRawBufferPointer($0), recordTime: Self.base + Self.day, emit: { out.append($0) })
            } == nil)
    }

    @Test("unknown kinds are dead letters by default, or advance stream time when ignored")
    func unknownKinds() {
        var rejecting = Self.job()
        var out: [WindowAggregate] = []
        _ = Self.process(&rejecting, Self.event(1_000_000_000_000), into: &out)
        #expect(
            Self.process(&rejecting, Self.event(1_000_000_100_000, kind: "eos"), into: &out)
                == Rejection(.unknownKind, field: "kind"))
        #expect(out.isEmpty)

        var ignoring = Self.job(unknownKinds: .ignore)
        _ = Self.process(&ignoring, Self.event(1_000_000_000_000), into: &out)
        #expect(Self.process(&ignoring, Self.event(1_000_000_100_000, kind: "eos"), into: &out) == nil)
        #expect(out.count == 6)  // every window of the first event closed by the sentinel
        #expect(out.allSatisfy { $0.counts[.like] == 1 && $0.distinctUsers == 1 })
    }

    /// The cases a new user tried with `resonance replay` (issue 17), as tables: one minute of events for one
    /// creator, then the fields of the window [base, base + 60 s) that holds them all.
    static let minute: [(name: String, events: [(kind: String, user: String)], expected: [String: Double?])] = [
        (
            "5 follows, a like by someone else, 3 views",
            [
                ("follow", "u1"), ("follow", "u2"), ("follow", "u3"), ("follow", "u4"), ("follow", "u5"),
                ("like", "u6"), ("view", "u7"), ("view", "u8"), ("view", "u9"),
            ],
            [
                "distinct_users": 9, "engaged_users": 1, "reach": 4, "engaged_followers": 0, "followers": 5,
                "engagement_rate": 0.2, "engaged_follower_share": 0, "new_users": 1, "returning_users": 0,
            ]
        ),
        (
            "5 follows, a like and a comment by one follower, 3 views",
            [
                ("follow", "u1"), ("follow", "u2"), ("follow", "u3"), ("follow", "u4"), ("follow", "u5"),
                ("like", "u1"), ("comment", "u1"), ("view", "u7"), ("view", "u8"), ("view", "u1"),
            ],
            [
                "distinct_users": 7, "engaged_users": 1, "reach": 3, "engaged_followers": 1, "followers": 5,
                "engagement_rate": 0.2, "engaged_follower_share": 0.2, "new_users": 1,
            ]
        ),
        (
            "one unfollow of a follower never seen",
            [("unfollow", "u1")],
            [
                "distinct_users": 1, "engaged_users": 0, "reach": 0, "engaged_followers": 0, "followers": 0,
                "engagement_rate": nil, "engaged_follower_share": nil,
            ]
        ),
        (
            "views only",
            [("view", "u1"), ("view", "u2"), ("view", "u1")],
            ["distinct_users": 2, "engaged_users": 0, "reach": 2, "followers": 0, "engagement_rate": nil]
        ),
    ]

    @Test("worked examples: engaged users, reach, engaged followers and rates of one minute", arguments: 0..<4)
    func engagedMinute(index: Int) throws {
        let example = Self.minute[index]
        var job = EngagementJob(settings: .engagementDefaults)
        var out: [WindowAggregate] = []
        let base: Int64 = 1_000_000_020_000  // a minute boundary
        for (offset, event) in example.events.enumerated() {
            let line =
                #"{"event_id":"e","ts":\#(base + Int64(offset) * 1000),"creator_id":"c1","user_id":"\#(event.user)","kind":"\#(event.kind)"}"#
            #expect(Self.process(&job, line, into: &out) == nil)
        }
        _ = Self.process(&job, Self.event(base + 200_000, kind: "view", creator: "c9"), into: &out)
        let window = try #require(out.first { $0.start == base && $0.end == base + 60_000 }, "\(example.name)")
        let fields: [String: Double?] = [
            "distinct_users": Double(window.distinctUsers), "engaged_users": Double(window.engagedUsers),
            "reach": Double(window.reach), "engaged_followers": window.engagedFollowers.map(Double.init),
            "followers": Double(window.followers), "engagement_rate": window.engagementRate,
            "engaged_follower_share": window.engagedFollowerShare, "new_users": window.newUsers.map(Double.init),
            "returning_users": window.returningUsers.map(Double.init),
        ]
        for (field, expected) in example.expected {
            #expect(fields[field] == expected, "\(example.name): \(field)")
        }
        if example.events.first?.kind == "unfollow" {
            #expect(job.followerLedger.unmatchedUnfollows == 1)
        }
    }

    @Test("follower counts: snapshots set the live count, follows and unfollows move it, rate divides by it")
    func followers() {
        var job = Self.job()
        var out: [WindowAggregate] = []
        let base: Int64 = 1_000_000_000_000
        _ = Self.process(
            &job, #"{"event_id":"s","ts":\#(base),"creator_id":"c1","kind":"followers","count":100}"#, into: &out)
        _ = Self.process(&job, Self.event(base + 1, kind: "follow"), into: &out)
        _ = Self.process(&job, Self.event(base + 2, kind: "like"), into: &out)
        _ = Self.process(&job, Self.event(base + 3, kind: "comment"), into: &out)
        _ = Self.process(&job, Self.event(base + 200_000, kind: "unfollow"), into: &out)
        let window = out.first { $0.start == base - base % 10_000 }
        #expect(window?.followers == 101)
        #expect(window?.netFollowerChange == 1)
        #expect(window?.engagementRate == 1.0 / 101.0)
        #expect(window?.conversationPerLike == 1.0)
    }
}
