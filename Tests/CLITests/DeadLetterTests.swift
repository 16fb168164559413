import Foundation
import Testing
import TestSupport

@Suite("Bad input goes to dead letters")
struct DeadLetterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Envelope: Decodable {
        var headers: [[String?]]
        var value: String?
        func header(_ name: String) -> String? { headers.first { $0.first == name }?.last ?? nil }
    }

    /// A worker running Pipelines/engagement.yaml against `broker`.
    static func worker(_ broker: DevBrokerProcess) throws -> ChildProcess {
        try ChildProcess(ResonanceBinary.url, ["run", root.appendingPathComponent("Pipelines/engagement.yaml").path,
                                               "-b", broker.bootstrapServers, "-X", "session.timeout.ms=4000"])
    }

    /// Every record of interactions-dlq so far, as `resonance consume --format envelope` prints it.
    static func deadLetters(_ broker: DevBrokerProcess) -> [Envelope] {
        let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "interactions-dlq", "-b", broker.bootstrapServers, "-e", "--format", "envelope"])
        reader?.waitForExit(timeout: .seconds(30))
        return (reader?.stdoutLines ?? []).compactMap { try? JSONDecoder().decode(Envelope.self, from: Data($0.utf8)) }
    }

    @Test("every rejection class, binary garbage and an oversize record from kcat land in interactions-dlq; good events are counted; no worker exits")
    func deadLetters() throws {
        let kcat = try #require(which("kcat"), "kcat is installed by `make test`")
        let base: Int64 = 1_732_665_600_000
        func event(_ id: Int, ts: Int64, creator: String, kind: String = "like") -> String {
            #"{"event_id":"g\#(id)","ts":\#(ts),"creator_id":"\#(creator)","user_id":"u\#(id)","kind":"\#(kind)"}"#
        }
        let bad: [(reason: String, value: [UInt8])] = [
            ("invalid_json", Array(#"{"event_id":"b1","ts":"#.utf8)),
            ("missing_field", Array(#"{"event_id":"b2","ts":1732665600000,"creator_id":"c1","kind":"like"}"#.utf8)),
            ("wrong_type", Array(#"{"event_id":"b3","ts":"yesterday","creator_id":"c1","user_id":"u","kind":"like"}"#.utf8)),
            ("unknown_kind", Array(#"{"event_id":"b4","ts":1732665600000,"creator_id":"c1","user_id":"u","kind":"poke"}"#.utf8)),
            ("empty_payload", []),
            ("oversize", Array((#"{"event_id":"b6","ts":1732665600000,"creator_id":"c1","user_id":"u","kind":"like","pad":""# + String(repeating: "x", count: 70_000) + #""}"#).utf8)),
            ("invalid_utf8", Array(#"{"event_id":"b7","ts":1732665600000,"creator_id":"c"#.utf8) + [0xC3, 0x28] + Array(#"","user_id":"u","kind":"like"}"#.utf8)),
            ("timestamp_out_of_range", Array(#"{"event_id":"b8","ts":99999999999999,"creator_id":"c1","user_id":"u","kind":"like"}"#.utf8)),
            ("invalid_utf8", [0x00, 0xFF, 0xFE, 0x13, 0x37, 0x80, 0x01]),  // binary garbage
        ]
        let creators = ["c1", "c2", "c3", "c4"]
        var lines: [[UInt8]] = []
        for index in 0..<100 {
            lines.append(Array("\(creators[index % 4])\t".utf8) + Array(event(index, ts: base + Int64(index) * 100, creator: creators[index % 4]).utf8))
            if index % 11 == 0, index / 11 < bad.count { lines.append(Array("c1\t".utf8) + bad[index / 11].value) }
        }
        // An hour later one view per creator moves every partition's stream time past the windows above.
        for (index, creator) in creators.enumerated() {
            lines.append(Array("\(creator)\t".utf8) + Array(event(1000 + index, ts: base + 3_600_000, creator: creator, kind: "view").utf8))
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-\(UUID().uuidString)")
        try Data(lines.joined(separator: [0x0A]) + [0x0A]).write(to: input)

        let broker = try DevBrokerProcess()
        let worker = try Self.worker(broker)
        let producer = try ChildProcess(kcat, ["-P", "-b", broker.bootstrapServers, "-t", "interactions", "-K", "\t", "-l", input.path])
        #expect(producer.waitForExit(timeout: .seconds(30)) == 0, "\(producer.stderr)")

        var letters: [Envelope] = []
        let arrived = eventually(timeout: .seconds(60)) {
            letters = Self.deadLetters(broker)
            return letters.count >= bad.count
        }
        #expect(arrived)
        #expect(letters.map { $0.header("resonance.reason") ?? "" }.sorted() == bad.map(\.reason).sorted())
        #expect(letters.allSatisfy { $0.header("resonance.source.topic") == "interactions" && $0.header("resonance.pipeline") == "engagement" })
        #expect(letters.allSatisfy { $0.header("resonance.source.offset").flatMap(Int.init) != nil })
        #expect(letters.contains { $0.value?.count == bad[5].value.count })  // the oversize record, intact

        var likes = 0
        let counted = eventually(timeout: .seconds(60)) {
            let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "-b", broker.bootstrapServers, "-e"])
            reader?.waitForExit(timeout: .seconds(30))
            likes = (reader?.stdoutLines ?? []).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .reduce(0) { $0 + ($1["like"] as? Int ?? 0) }
            return likes >= 600
        }
        #expect(counted)
        #expect(likes == 600)  // 100 good likes, each in the six 60 s windows that contain it
        #expect(worker.process.isRunning)
        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: .seconds(20)) == 0)
        #expect(broker.stop() == 0)
    }

    @Test("a 1 MB event, past the producer's message.max.bytes, lands in the dead letters cut to its first 64 KiB with its size and SHA-256; the worker goes on")
    func poisonPill() throws {
        let kcat = try #require(which("kcat"), "kcat is installed by `make test`")
        let big = #"{"event_id":""# + String(repeating: "x", count: 1_000_000) + #"","ts":1732665600000,"creator_id":"c1","user_id":"u","kind":"like"}"#
        let after = #"{"event_id":"ok","ts":1732665600000,"creator_id":"c1","user_id":"u","kind":"like"}"#
        let stale = #"{"event_id":"late","ts":1732669200000,"creator_id":"c1","user_id":"u","kind":"view"}"#
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("poison-\(UUID().uuidString)")
        try ["c1\t" + big, "c1\t" + after, "c1\t" + stale].joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)

        let broker = try DevBrokerProcess()
        let worker = try Self.worker(broker)
        let producer = try ChildProcess(kcat, ["-P", "-b", broker.bootstrapServers, "-t", "interactions", "-K", "\t",
                                               "-X", "message.max.bytes=2000000", "-l", input.path])
        #expect(producer.waitForExit(timeout: .seconds(30)) == 0, "\(producer.stderr)")
        var letters: [Envelope] = []
        let arrived = eventually(timeout: .seconds(60)) {
            letters = Self.deadLetters(broker)
            return !letters.isEmpty
        }
        #expect(arrived)
        #expect(letters.count == 1)
        let letter = try #require(letters.first)
        #expect(letter.header("resonance.reason") == "oversize" && letter.header("resonance.truncated") == "true")
        #expect(letter.value.map { Array($0.utf8) } == Array(big.utf8.prefix(65_536)))
        #expect(letter.header("resonance.source.size") == String(big.utf8.count))
        let digest = try #require(which("sha256sum"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("poison-value-\(UUID().uuidString)")
        try big.write(to: file, atomically: true, encoding: .utf8)
        let summed = try ChildProcess(digest, [file.path])
        #expect(summed.waitForExit(timeout: .seconds(10)) == 0)
        #expect(letter.header("resonance.source.sha256") == summed.stdout.split(separator: " ").first.map(String.init))
        // The good like after it is counted: the worker went on.
        let counted = eventually(timeout: .seconds(60)) {
            let reader = try? ChildProcess(ResonanceBinary.url, ["consume", "engagement-aggregates", "-b", broker.bootstrapServers, "-e"])
            reader?.waitForExit(timeout: .seconds(30))
            return (reader?.stdoutLines ?? []).contains { $0.contains(#""like":1"#) }
        }
        #expect(counted)
        #expect(worker.process.isRunning)
        worker.kill(SIGTERM)
        #expect(worker.waitForExit(timeout: .seconds(20)) == 0, "\(worker.stderr.suffix(500))")
        #expect(broker.stop() == 0)
    }
}
