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

    static func process(_ job: inout EngagementJob, _ line: String, partition: Int32 = 0, into out: inout [WindowAggregate]) -> Rejection? {
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
        (base + day + 1, .timestampOutOfRange),       // more than a day ahead
        (base - 30 * day - 1, .timestampOutOfRange),  // more than 30 days behind
        (base + day, nil),
        (base - 60_000, nil),                         // late, not absurd
    ]

    @Test("a lookahead over runs of records, with positions skipped, gives what processing them one by one gives")
    func lookaheadRuns() {
        var random = SystemRandomNumberGenerator()
        let lines = (0..<4000).map { index -> String in
            index % 97 == 5 ? "not json" : #"{"event_id":"e\#(index)","ts":\#(Self.base + Int64(index) * 150),"creator_id":"c\#(index % 37)","user_id":"u\#(index % 911)","kind":"like"}"#
        }
        let buffers = lines.map { line in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: line.utf8.count, alignment: 1)
            _ = buffer.initializeMemory(as: UInt8.self, from: line.utf8)
            return UnsafeRawBufferPointer(buffer)
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        let skipped = Set((0..<200).map { _ in Int.random(in: 0..<buffers.count, using: &random) })
        var plain = Self.job(), ahead = Self.job()
        var expected: [WindowAggregate] = [], got: [WindowAggregate] = []
        var expectedRejections = 0, rejections = 0
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

    @Test("unknown kinds are dead letters by default, or advance stream time when ignored")
    func unknownKinds() {
        var rejecting = Self.job()
        var out: [WindowAggregate] = []
        _ = Self.process(&rejecting, Self.event(1_000_000_000_000), into: &out)
        #expect(Self.process(&rejecting, Self.event(1_000_000_100_000, kind: "eos"), into: &out) == Rejection(.unknownKind, field: "kind"))
        #expect(out.isEmpty)

        var ignoring = Self.job(unknownKinds: .ignore)
        _ = Self.process(&ignoring, Self.event(1_000_000_000_000), into: &out)
        #expect(Self.process(&ignoring, Self.event(1_000_000_100_000, kind: "eos"), into: &out) == nil)
        #expect(out.count == 6)  // every window of the first event closed by the sentinel
        #expect(out.allSatisfy { $0.counts[.like] == 1 && $0.distinctUsers == 1 })
    }

    @Test("follower counts: snapshots set the live count, follows and unfollows move it, rate divides by it")
    func followers() {
        var job = Self.job()
        var out: [WindowAggregate] = []
        let base: Int64 = 1_000_000_000_000
        _ = Self.process(&job, #"{"event_id":"s","ts":\#(base),"creator_id":"c1","kind":"followers","count":100}"#, into: &out)
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
