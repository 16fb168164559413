import Engagement
import Foundation
import Pipeline
import Testing

@Suite("Pipeline files")
struct PipelineLoaderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Pipelines/\(name)"), encoding: .utf8)
    }

    static func diagnostics(_ text: String) -> [PipelineDiagnostic] {
        switch PipelineLoader.parse(text, file: "test.yaml") {
        case .success: []
        case .failure(let errors): errors.diagnostics
        }
    }

    @Test("the shipped pipelines are valid; engagement.yaml is exactly the built-in defaults")
    func shipped() throws {
        let engagement = try PipelineLoader.parse(Self.text("engagement.yaml"), file: "engagement.yaml").get()
        #expect(engagement.job == .engagementDefaults)
        #expect(engagement.sourceTopic == "interactions")
        let sinks = engagement.sinks
        #expect([sinks.aggregates, sinks.deadLetters, sinks.spikes, sinks.followerHealth, sinks.followerDrift]
            == ["engagement-aggregates", "interactions-dlq", "community-spikes", "follower-health", "follower-drift"])
        for name in ["demo.yaml", "datasets.yaml"] {
            let spec = try PipelineLoader.parse(Self.text(name), file: name).get()
            #expect(spec.job.detectors.spikes == engagement.job.detectors.spikes, "\(name)")
        }
        let bench = try PipelineLoader.parse(Self.text("bench.yaml"), file: "bench.yaml").get()
        #expect(bench.job.streamTime == .key)
        #expect(bench.job.unknownKinds == .ignore)
        #expect(bench.job.activityHorizon == nil)
    }

    @Test("source.commit_every: 100 ms by default, 0 commits after every batch, at most a minute")
    func commitEvery() throws {
        let text = try Self.text("engagement.yaml")
        #expect(try PipelineLoader.parse(text, file: "e.yaml").get().commitEvery == 100)
        let every = text.replacingOccurrences(of: "  group: resonance-engagement\n", with: "  group: resonance-engagement\n  commit_every: 0s\n")
        #expect(try PipelineLoader.parse(every, file: "e.yaml").get().commitEvery == 0)
        let long = text.replacingOccurrences(of: "  group: resonance-engagement\n", with: "  group: resonance-engagement\n  commit_every: 5m\n")
        let found = Self.diagnostics(long)
        #expect(found.map(\.path) == ["source.commit_every"])
        #expect(found.first?.message == "expected a duration of at most 1m, got '5m'")
    }

    /// Five broken variants of engagement.yaml, each with one precise error.
    static let broken: [(name: String, edit: @Sendable (String) -> String, line: Int, path: String, message: String)] = [
        ("unknown key", { $0.replacingOccurrences(of: "  emit: on_close", with: "  emit: on_close\n  colour: blue") },
         14, "window.colour", "unknown key; expected one of kind, size, advance, max_difference, gap, grace, stream_time, emit"),
        ("wrong type", { $0.replacingOccurrences(of: "track_posts: true", with: "track_posts: \"yes please\"") },
         19, "aggregate.track_posts", "expected true or false, got 'yes please'"),
        ("negative duration", { $0.replacingOccurrences(of: "  grace: 5s ", with: "  grace: -5s ") },
         11, "window.grace", "expected a non-negative duration like 500ms, 30s, 10m, 2h or 14d, got '-5s'"),
        ("missing sink", { $0.replacingOccurrences(of: "  aggregates: engagement-aggregates\n", with: "") },
         27, "sinks.aggregates", "missing; it is required"),
        ("grace longer than a day", { $0.replacingOccurrences(of: "  grace: 5s ", with: "  grace: 2d ") },
         11, "window.grace", "expected a duration of at most 1d, got '2d' (a window waits size + grace of stream time before it closes)"),
        ("weight too large", { $0.replacingOccurrences(of: "share: 5,", with: "share: 5e12,") },
         15, "aggregate.weights.share", "expected a number from 0 to 1,000, got '5e12'"),
        ("unknown engaged kind", { $0.replacingOccurrences(of: "engaged_kinds: [like,", with: "engaged_kinds: [likes,") },
         16, "aggregate.engaged_kinds",
         "expected one of view, like, comment, reply, share, save, mention, follow, unfollow, got 'likes'"),
        ("engaged kinds not a list", { $0.replacingOccurrences(of: "engaged_kinds: [like, comment, reply, share, save, mention]", with: "engaged_kinds: like") },
         16, "aggregate.engaged_kinds", "expected a non-empty list of kinds, got 'like'"),
    ]

    @Test("each broken file gives one precise error", arguments: 0..<8)
    func brokenFiles(index: Int) throws {
        let broken = Self.broken[index]
        let text = broken.edit(try Self.text("engagement.yaml"))
        let found = Self.diagnostics(text)
        #expect(found.count == 1, "\(broken.name): \(found)")
        #expect(found.first?.line == broken.line, "\(broken.name)")
        #expect(found.first?.path == broken.path, "\(broken.name)")
        #expect(found.first?.message == broken.message, "\(broken.name)")
    }

    @Test("every problem of a file is reported, in file order")
    func allProblems() throws {
        var text = try Self.text("engagement.yaml")
        for index in [0, 1, 3, 4] { text = Self.broken[index].edit(text) }  // all but the second grace edit
        let found = Self.diagnostics(text)
        #expect(found.map(\.path) == ["window.grace", "window.colour", "aggregate.track_posts", "sinks.aggregates"])
    }

    @Test("a spike detector needs hopping or tumbling windows; a follower detector needs its two sinks")
    func detectorRequirements() throws {
        let base = try Self.text("engagement.yaml")
        let sliding = base.replacingOccurrences(of: "  kind: hopping            # hopping | tumbling | sliding | session\n  size: 60s\n  advance: 10s",
                                                with: "  kind: sliding\n  max_difference: 30s")
        #expect(Self.diagnostics(sliding).map(\.path) == ["detectors.spikes"])
        let unsunk = base.replacingOccurrences(of: "  follower_drift: follower-drift\n", with: "")
        #expect(Self.diagnostics(unsunk).map(\.message) == ["missing; detectors.followers writes its drift alerts there"])
    }

    /// engagement.yaml without its detectors and their sinks.
    static func withoutDetectors(_ text: String) -> String {
        var lines: [Substring] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("detectors:") { skipping = true } else if !line.hasPrefix(" ") { skipping = false }
            if skipping || line.hasPrefix("  spikes:") || line.hasPrefix("  follower_") { continue }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    @Test("window kinds and their own keys")
    func windowKinds() throws {
        let base = Self.withoutDetectors(try Self.text("engagement.yaml"))
        let sliding = base.replacingOccurrences(of: "  kind: hopping            # hopping | tumbling | sliding | session\n  size: 60s\n  advance: 10s",
                                                with: "  kind: sliding\n  max_difference: 30s")
        #expect(try PipelineLoader.parse(sliding, file: "s.yaml").get().job.windows == .sliding(SlidingWindows(maxDifference: 30_000, grace: 5_000)!))
        let misfit = base.replacingOccurrences(of: "  kind: hopping ", with: "  kind: session ")
        #expect(Self.diagnostics(misfit).map(\.path) == ["window.gap", "window.size", "window.advance"])
        let indivisible = base.replacingOccurrences(of: "advance: 10s", with: "advance: 7s")
        #expect(Self.diagnostics(indivisible).map(\.path) == ["window.advance"])
        #expect(Self.diagnostics("version: 1\nname: [").first?.message.hasPrefix("not valid YAML") == true)
        #expect(Self.diagnostics("").first?.message.hasPrefix("empty file") == true)
    }
}
