/// Writes `WindowAggregate`s as flat JSON (`Schemas/engagement-aggregate.v2.json`): `schema_version`,
/// `creator_id`, `window_start`, `window_end`, one integer per kind, `distinct_users`, `engaged_users`, `reach`,
/// `engaged_followers`, `score`, then `followers`, `net_follower_change`, `engagement_rate`,
/// `engaged_follower_share`, `conversation_per_like`, `returning_users` and `new_users` (null when undefined).
public enum AggregateJSON {
    /// The schema version every record carries.
    public static let schemaVersion = 2

    private static let kindKeys: [[UInt8]] = InteractionKind.counted.map { Array(",\"\($0.name)\":".utf8) }

    /// Appends one aggregate as a JSON object (no newline).
    public static func append(_ aggregate: WindowAggregate, creators: Interner, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"schema_version":2,"creator_id":""#.utf8)
        creators.appendEscapedJSON(aggregate.creator, to: &output)
        output.append(contentsOf: #"","window_start":"#.utf8)
        output.appendDecimal(aggregate.start)
        output.append(contentsOf: #","window_end":"#.utf8)
        output.appendDecimal(aggregate.end)
        for (index, kind) in InteractionKind.counted.enumerated() {
            output.append(contentsOf: kindKeys[index])
            output.appendDecimal(aggregate.counts[kind])
        }
        output.append(contentsOf: #","distinct_users":"#.utf8)
        output.appendDecimal(aggregate.distinctUsers)
        output.append(contentsOf: #","engaged_users":"#.utf8)
        output.appendDecimal(aggregate.engagedUsers)
        output.append(contentsOf: #","reach":"#.utf8)
        output.appendDecimal(aggregate.reach)
        output.append(contentsOf: #","engaged_followers":"#.utf8)
        appendOptional(aggregate.engagedFollowers, to: &output)
        output.append(contentsOf: #","score":"#.utf8)
        output.appendShortest(aggregate.score)
        output.append(contentsOf: #","followers":"#.utf8)
        output.appendDecimal(aggregate.followers)
        output.append(contentsOf: #","net_follower_change":"#.utf8)
        output.appendDecimal(aggregate.netFollowerChange)
        output.append(contentsOf: #","engagement_rate":"#.utf8)
        appendOptional(aggregate.engagementRate, to: &output)
        output.append(contentsOf: #","engaged_follower_share":"#.utf8)
        appendOptional(aggregate.engagedFollowerShare, to: &output)
        output.append(contentsOf: #","conversation_per_like":"#.utf8)
        appendOptional(aggregate.conversationPerLike, to: &output)
        output.append(contentsOf: #","returning_users":"#.utf8)
        appendOptional(aggregate.returningUsers, to: &output)
        output.append(contentsOf: #","new_users":"#.utf8)
        appendOptional(aggregate.newUsers, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static func appendOptional(_ value: Int?, to output: inout [UInt8]) {
        if let value { output.appendDecimal(value) } else { output.append(contentsOf: "null".utf8) }
    }

    private static func appendOptional(_ value: Double?, to output: inout [UInt8]) {
        if let value { output.appendShortest(value) } else { output.append(contentsOf: "null".utf8) }
    }
}

extension Interner {
    /// Appends the string with id `id` escaped for use inside a JSON string literal.
    public func appendEscapedJSON(_ id: UInt32, to output: inout [UInt8]) {
        let start = output.count
        appendBytes(id, to: &output)
        guard output[start...].contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else { return }
        let raw = Array(output[start...])
        output.removeSubrange(start...)
        for byte in raw {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(byte)
            case 0..<0x20: output.append(contentsOf: String(format: byte).utf8)
            default: output.append(byte)
            }
        }
    }
}

private extension String {
    init(format byte: UInt8) {
        let hex = String(byte, radix: 16)
        self = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
