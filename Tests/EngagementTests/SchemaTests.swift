@testable import Engagement
import Foundation
import Testing

@Suite("Output matches Schemas/")
struct SchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("Schemas/\(name)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("an aggregate has exactly the schema's fields, with the schema's types")
    func aggregateFields() throws {
        let schema = try Self.schema("engagement-aggregate.v2.json")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        var creators = Interner()
        var counts = KindCounts()
        _ = creators.intern("c\"1")
        for kind in [InteractionKind.like, .like, .comment, .view] { counts.add(kind) }
        let aggregate = WindowAggregate(
            creator: 0, start: 0, end: 60_000, counts: counts, audience: AudienceCounts(users: 3, engaged: 2, reach: 3, engagedFollowers: 1),
            score: 5.1, followers: 10, followersKnown: true, returningUsers: 1)
        var output: [UInt8] = []
        AggregateJSON.append(aggregate, creators: creators, to: &output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        #expect(Set(object.keys) == Set(properties.keys))
        #expect(Set(object.keys) == Set(try #require(schema["required"] as? [String])))
        #expect(object["creator_id"] as? String == "c\"1")
        for (key, value) in object {
            let types = (properties[key]?["type"] as? [String]) ?? [(properties[key]?["type"] as? String) ?? "?"]
            let actual = value is NSNull ? "null" : value is String ? "string"
                : String(describing: value).contains(".") ? "number" : "integer"
            #expect(types.contains(actual) || (actual == "integer" && types.contains("number")), "\(key): \(actual) not in \(types)")
        }
    }

    @Test("the event schema names exactly the kinds the decoder knows")
    func eventKinds() throws {
        let schema = try Self.schema("interaction-event.v1.json")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        let kinds = try #require(properties["kind"]?["enum"] as? [String])
        #expect(kinds == InteractionKind.allCases.map(\.name))
    }
}
