@testable import Detectors
@testable import Engagement
import Foundation
@testable import Pipeline
import Testing

@Suite("Detector records match Schemas/")
struct SignalSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/\(name)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func render(_ signal: JobSignal) throws -> [String: Any] {
        var decoder = EventDecoder()
        let line = #"{"event_id":"e","ts":1,"creator_id":"c\"1","user_id":"u","kind":"like","post_id":"p/1","community":"@launch"}"#
        var copy = line
        _ = copy.withUTF8 { decoder.decode(UnsafeRawBufferPointer($0)) }
        var output: [UInt8] = []
        SignalJSON.append(signal, decoder: decoder, to: &output)
        return try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any], "\(String(decoding: output, as: UTF8.self))")
    }

    /// Checks `object` against an object schema: the same keys as `required`, no others, each value of its type.
    static func check(_ object: [String: Any], against schema: [String: Any]) throws {
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(object.keys) == Set(try #require(schema["required"] as? [String])))
        #expect(Set(object.keys) == Set(properties.keys))
        for (key, value) in object {
            let property = properties[key] ?? [:]
            if let constant = property["const"] as? String { #expect(value as? String == constant); continue }
            if let choices = property["enum"] as? [String] { #expect(choices.contains(value as? String ?? "")); continue }
            let types = (property["type"] as? [String]) ?? [(property["type"] as? String) ?? "?"]
            let actual = value is NSNull ? "null" : value is String ? "string" : value is [Any] ? "array"
                : String(describing: value).contains(".") ? "number" : "integer"
            #expect(types.contains(actual) || (actual == "integer" && types.contains("number")), "\(key): \(actual) not in \(types)")
        }
    }

    @Test("spike_started and spike_ended follow spike.v2.json")
    func spikes() throws {
        let schema = try Self.schema("spike.v2.json")
        let definitions = try #require(schema["$defs"] as? [String: [String: Any]])
        let reading = BurstReading(observed: 120, expected: 10.5, zScore: 9.25)
        let start = SpikeStart(onset: 60_000, detectedAt: 120_000, audience: reading, score: reading, severity: 9.25)
        let context = SpikeContext(community: nil, windowEnd: 180_000, topKinds: [.init(kind: .share, score: 25)], topPosts: [.init(post: 0, weight: 3.5)])
        let started = try Self.render(.spikeStarted(creator: 0, start, context))
        try Self.check(started, against: try #require(definitions["spike_started"]))
        #expect(started["creator_id"] as? String == "c\"1")
        #expect((started["top_posts"] as? [[String: Any]])?.first?["post_id"] as? String == "p/1")
        let end = SpikeEnd(onset: 60_000, end: 300_000, peakAudience: 80, peakScore: 200, excessAudience: 150, excessScore: 400.5)
        let ended = try Self.render(.spikeEnded(creator: 0, community: 0, end))
        try Self.check(ended, against: try #require(definitions["spike_ended"]))
        #expect(ended["duration_ms"] as? Int == 240_000)
        #expect(ended["community"] as? String == "@launch")
        #expect(started["community"] is NSNull)
    }

    @Test("follower_health and follower_drift follow their schemas")
    func followers() throws {
        let health = FollowerHealth(creator: 0, asOf: 86_400_000, followers: 120, trackedFollowers: 100, active: 70, dormant: 30,
                                    newlyDormant: 4, reactivated: 1, engaged: 20)
        let rendered = try Self.render(.followerHealth(health))
        try Self.check(rendered, against: try Self.schema("follower-health.v2.json"))
        #expect(rendered["dormant_share"] as? Double == 0.3)
        let empty = FollowerHealth(creator: 0, asOf: 0, followers: 5, trackedFollowers: 0, active: 0, dormant: 0, newlyDormant: 0, reactivated: 0, engaged: 0)
        try Self.check(try Self.render(.followerHealth(empty)), against: try Self.schema("follower-health.v2.json"))
        let drift = FollowerDrift(creator: 0, onset: 86_400_000, detectedAt: 4 * 86_400_000, shareBefore: 0.2, shareAfter: 0.35, confidence: 0.9)
        let driftRecord = try Self.render(.followerDrift(drift))
        try Self.check(driftRecord, against: try Self.schema("follower-drift.v2.json"))
        #expect(driftRecord["share_after"] as? Double == 0.35)
    }
}
