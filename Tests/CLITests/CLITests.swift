import Foundation
import Testing
import TestSupport

@Suite("The resonance command line")
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: [String], timeout: Duration = .seconds(60)) throws -> (status: Int32?, stdout: String, stderr: String) {
        let child = try ChildProcess(ResonanceBinary.url, arguments)
        let status = child.waitForExit(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }

    /// Writes a small stream to a temporary file: a like and a comment by two users of one creator, a line that is
    /// not JSON, and an end-of-stream sentinel far enough ahead to close every window of the two events.
    static func writeSampleEvents() throws -> URL {
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).jsonl")
        let lines = [
            #"{"event_id":"1","ts":1000,"creator_id":"c1","user_id":"u1","kind":"like"}"#,
            #"{"event_id":"2","ts":2000,"creator_id":"c1","user_id":"u2","kind":"comment"}"#,
            #"not json"#,
            #"{"event_id":"eos","ts":200000,"creator_id":"c1","user_id":"","kind":"eos"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        return events
    }

    @Test("validate: 0 for the shipped pipelines, 1 with every problem named for a broken one")
    func validate() throws {
        let pipelines = Self.root.appendingPathComponent("Pipelines")
        let good = try Self.run(["validate", pipelines.appendingPathComponent("engagement.yaml").path, pipelines.appendingPathComponent("bench.yaml").path])
        #expect(good.status == 0)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml")
        let original = try String(contentsOf: pipelines.appendingPathComponent("engagement.yaml"), encoding: .utf8)
        let lineOf = { (needle: String) in 1 + original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }! }
        let text = original
            .replacingOccurrences(of: "  grace: 5s ", with: "  grace: 2d ")
            .replacingOccurrences(of: "track_posts: true", with: "track_posts: 3")
        try text.write(to: broken, atomically: true, encoding: .utf8)
        let bad = try Self.run(["validate", broken.path])
        #expect(bad.status == 1)
        let lines = bad.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(broken.path):\(lineOf("  grace: 5s ")):10: window.grace: expected a duration of at most 1d") == true)
        #expect(lines.last?.hasPrefix("\(broken.path):\(lineOf("track_posts: true")):16: aggregate.track_posts: expected true or false") == true)
        let replay = try Self.run(["replay", "/dev/null", "--pipeline", broken.path])
        #expect(replay.status == 1)
        // A worker refuses a broken pipeline before it connects anywhere.
        let worker = try Self.run(["run", broken.path, "-b", "127.0.0.1:1"])
        #expect(worker.status == 1)
        #expect(worker.stderr.contains("window.grace"))
    }

    @Test("community: produced traffic replayed with demo.yaml ranks creators by engaged followers, as the health records say")
    func community() throws {
        let directory = FileManager.default.temporaryDirectory
        let events = directory.appendingPathComponent("community-events-\(UUID().uuidString).jsonl")
        let results = directory.appendingPathComponent("community-results-\(UUID().uuidString).jsonl")
        let produced = try Self.run([
            "produce", "--print", "--creators", "12", "--event-rate", "0.3", "--span", "3d", "--seed", "3",
        ])
        #expect(produced.status == 0)
        try produced.stdout.write(to: events, atomically: true, encoding: .utf8)
        let replay = try Self.run(["replay", events.path, "--pipeline", Self.root.appendingPathComponent("Pipelines/demo.yaml").path])
        #expect(replay.status == 0)
        try replay.stdout.write(to: results, atomically: true, encoding: .utf8)
        // The oracle: each creator's last health record, ranked by engaged followers (30 d), then followers.
        var latest: [String: (asOf: Int, followers: Int, engaged: Int)] = [:]
        for line in replay.stdout.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "follower_health", let creator = object["creator_id"] as? String,
                  let asOf = object["as_of"] as? Int, asOf >= latest[creator]?.asOf ?? .min
            else { continue }
            latest[creator] = (asOf, object["followers"] as? Int ?? -1, object["engaged_followers_30d"] as? Int ?? -1)
        }
        #expect(latest.count == 12)
        let expected = latest.sorted { ($0.value.engaged, $0.value.followers, $1.key) > ($1.value.engaged, $1.value.followers, $0.key) }
        let byFollowers = latest.sorted { ($0.value.followers, $1.key) > ($1.value.followers, $0.key) }.map(\.key)
        let ranked = try Self.run(["community", "--input", results.path, "--top", "5"])
        #expect(ranked.status == 0)
        let rows = ranked.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.first?.first == "rank" && rows.count == 6)
        for (index, row) in rows.dropFirst().enumerated() {
            let creator = expected[index].key
            #expect(row.prefix(6) == ["\(index + 1)", "\(byFollowers.firstIndex(of: creator)! + 1)", creator,
                                      "\(expected[index].value.followers)", row[4], "\(expected[index].value.engaged)"])
        }
        // The ranks differ from the follower ranking: a following's engaged share differs by creator.
        #expect(rows.dropFirst().map { $0[0] } != rows.dropFirst().map { $0[1] })
        let none = try Self.run(["community", "--input", events.path])
        #expect(none.status == 1 && none.stderr.contains("no follower_health records"))
    }

    @Test("replay with Pipelines/bench.yaml closes windows on the end-of-stream sentinels; rejections go to stderr")
    func replay() throws {
        let events = try Self.writeSampleEvents()
        let result = try Self.run(["replay", events.path, "--pipeline", Self.root.appendingPathComponent("Pipelines/bench.yaml").path])
        #expect(result.status == 0)
        let windows = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(windows.count == 6)  // the six 60 s windows holding t = 1 s and 2 s
        #expect(windows.allSatisfy { $0["like"] as? Int == 1 && $0["comment"] as? Int == 1 && $0["distinct_users"] as? Int == 2 })
        #expect(result.stderr.contains(#"{"line":3,"reason":"invalid_json"}"#))
    }

    @Test("bench core: the job's windows and rejections, and the Swift heap allocations of a run, for both stages")
    func benchCore() throws {
        let events = try Self.writeSampleEvents()
        for (stage, windows) in [("full", 6), ("decode", 0)] {
            let result = try Self.run(["bench", "core", events.path, "--runs", "1", "--stage", stage])
            #expect(result.status == 0)
            let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(line.hasPrefix("core (\(stage)): 4 events, "))
            #expect(line.contains(", \(windows) windows, 1 rejected, "))
            // Decoding four records allocates the decoder's tables; the whole job also its windows' state.
            let counted = line.firstMatch(of: /allocations per event \((\d+) in a run/).flatMap { Int($0.1) }
            #expect((counted ?? 0) > 0)
        }
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try Self.run(["replay"]).status == 64)
        #expect(try Self.run(["no-such-command"]).status == 64)
    }

    @Test("--help names every flag of run with its environment variable and default, and fits 80 columns")
    func help() throws {
        let run = try Self.run(["run", "--help"])
        #expect(run.status == 0)
        let options = run.stdout.components(separatedBy: "OPTIONS:").last ?? ""
        // Each flag's help paragraph: from its line to the next flag's.
        let paragraphs = options.components(separatedBy: "\n  -").map { "-" + $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        func paragraph(_ flag: String) -> String? { paragraphs.first { $0.hasPrefix(flag) || $0.hasPrefix("-" + flag) } }
        let expected: [(flag: String, env: String?, hasDefault: Bool)] = [
            ("-b, --bootstrap-server", "KAFKA_BOOTSTRAP_SERVERS", true), ("-X", "RESONANCE_KAFKA_", false),
            ("--ops-port", "RESONANCE_OPS_PORT", true), ("--ops-bind", "RESONANCE_OPS_BIND", true),
            ("--log-level", "LOG_LEVEL", true), ("--log-format", nil, true), ("-g", nil, true), ("--shutdown-deadline", nil, true),
        ]
        for option in expected {
            let text = try #require(paragraph(option.flag), "run --help lacks \(option.flag)")
            if let env = option.env { #expect(text.contains("env: \(env)"), "\(text)") }
            if option.hasDefault { #expect(text.contains("default: "), "\(text)") }
        }
        let root = try Self.run(["--help"])
        for name in ["KAFKA_BOOTSTRAP_SERVERS", "RESONANCE_KAFKA_", "RESONANCE_OPS_PORT", "LOG_LEVEL", "Exit codes", "report"] {
            #expect(root.stdout.contains(name))
        }
        for text in [root.stdout, run.stdout] {
            #expect(text.split(separator: "\n").filter { $0.count > 80 && !$0.hasPrefix("USAGE") }.isEmpty)
        }
    }
}

@Suite("Worker logs")
struct WorkerLogTests {
    @Test("--log-format json writes one JSON object per line; the configuration is printed with secrets redacted")
    func jsonLogs() throws {
        let broker = try DevBrokerProcess()
        let worker = try ChildProcess(ResonanceBinary.url, [
            "run", CLITests.root.appendingPathComponent("Pipelines/engagement.yaml").path, "-b", broker.bootstrapServers,
            "--log-format", "json", "-X", "sasl.password=hunter2", "-X", "session.timeout.ms=4000",
        ])
        #expect(eventually(timeout: .seconds(20)) { worker.stderr.contains("rebalance: assigned") })
        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: .seconds(20)) == 0)
        let lines = worker.stderr.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] != nil })
        #expect(worker.stderr.contains("sasl.password=[redacted]"))
        #expect(!worker.stderr.contains("hunter2"))
        #expect(broker.stop() == 0)
    }
}
