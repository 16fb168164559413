import Detectors
import Engagement

/// Writes detector results as flat JSON objects, one per record, each with its `schema_version` and a `type`:
/// `spike_started` and `spike_ended` (`Schemas/spike.v2.json`), `follower_health`
/// (`Schemas/follower-health.v2.json`) and `follower_drift` (`Schemas/follower-drift.v2.json`). Window-close
/// granularity, so plain string building.
public enum SignalJSON {
    /// The type tag of a signal, which also picks its sink.
    public static func type(of signal: JobSignal) -> String {
        switch signal {
        case .spikeStarted: "spike_started"
        case .spikeEnded: "spike_ended"
        case .followerHealth: "follower_health"
        case .followerDrift: "follower_drift"
        }
    }

    /// The creator a signal is about (the record key).
    public static func creator(of signal: JobSignal) -> UInt32 {
        switch signal {
        case .spikeStarted(let creator, _, _), .spikeEnded(let creator, _, _): creator
        case .followerHealth(let health): health.creator
        case .followerDrift(let drift): drift.creator
        }
    }

    /// Appends one signal as a JSON object (no newline); ids are resolved through the decoder's interners.
    public static func append(_ signal: JobSignal, decoder: EventDecoder, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"schema_version":2,"type":""#.utf8)
        output.append(contentsOf: type(of: signal).utf8)
        output.append(contentsOf: #"","creator_id":""#.utf8)
        decoder.creators.appendEscapedJSON(creator(of: signal), to: &output)
        output.append(UInt8(ascii: "\""))
        switch signal {
        case .spikeStarted(_, let start, let context):
            community(context.community, decoder: decoder, &output)
            field("onset", start.onset, &output)
            field("window_start", start.detectedAt, &output)
            field("window_end", context.windowEnd, &output)
            field("observed_users", start.audience.observed, &output)
            field("expected_users", start.audience.expected, &output)
            field("observed_score", start.score?.observed ?? 0, &output)
            field("expected_score", start.score?.expected ?? 0, &output)
            field("severity", start.severity, &output)
            output.append(contentsOf: #","top_kinds":["#.utf8)
            for (index, share) in context.topKinds.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: #"{"kind":""#.utf8)
                output.append(contentsOf: share.kind.name.utf8)
                output.append(UInt8(ascii: "\""))
                field("score", share.score, &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(contentsOf: #"],"top_posts":["#.utf8)
            for (index, post) in context.topPosts.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: #"{"post_id":""#.utf8)
                decoder.posts.appendEscapedJSON(post.post, to: &output)
                output.append(UInt8(ascii: "\""))
                field("weight", post.weight, &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: "]"))
        case .spikeEnded(_, let tag, let end):
            community(tag, decoder: decoder, &output)
            field("onset", end.onset, &output)
            field("end", end.end, &output)
            field("duration_ms", end.duration, &output)
            field("peak_users", end.peakAudience, &output)
            field("peak_score", end.peakScore, &output)
            field("excess_users", end.excessAudience, &output)
            field("excess_score", end.excessScore, &output)
        case .followerHealth(let health):
            field("as_of", health.asOf, &output)
            field("followers", health.followers, &output)
            field("tracked_followers", health.trackedFollowers, &output)
            field("active", health.active, &output)
            field("dormant", health.dormant, &output)
            field("dormant_share", optional(health.dormantShare), &output)
            field("newly_dormant", health.newlyDormant, &output)
            field("reactivated", health.reactivated, &output)
            field("engaged", health.engaged, &output)
            field("engagement_rate", optional(health.engagementRate), &output)
            field("engaged_followers_7d", health.engagedFollowers7d, &output)
            field("engaged_followers_30d", health.engagedFollowers30d, &output)
            field("engaged_share_7d", optional(health.engagedShare7d), &output)
            field("engaged_share_30d", optional(health.engagedShare30d), &output)
            field("unmatched_unfollows", health.unmatchedUnfollows, &output)
            let previous = health.previous
            field("followers_change", previous.map { String(health.followers - $0.followers) } ?? "null", &output)
            field("engaged_followers_7d_change",
                  previous.map { String(health.engagedFollowers7d - $0.engagedFollowers7d) } ?? "null", &output)
            field("engaged_followers_30d_change",
                  previous.map { String(health.engagedFollowers30d - $0.engagedFollowers30d) } ?? "null", &output)
            let shareChange = previous.flatMap { old in health.dormantShare.flatMap { now in old.dormantShare.map { now - $0 } } }
            field("dormant_share_change", optional(shareChange), &output)
        case .followerDrift(let drift):
            field("onset", drift.onset, &output)
            field("detected_at", drift.detectedAt, &output)
            field("share_before", drift.shareBefore, &output)
            field("share_after", drift.shareAfter, &output)
            field("confidence", drift.confidence, &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private static func community(_ tag: UInt32?, decoder: EventDecoder, _ output: inout [UInt8]) {
        guard let tag else { return field("community", "null", &output) }
        output.append(contentsOf: #","community":""#.utf8)
        decoder.communities.appendEscapedJSON(tag, to: &output)
        output.append(UInt8(ascii: "\""))
    }

    private static func field(_ name: String, _ raw: String, _ output: inout [UInt8]) {
        output.append(contentsOf: ",\"\(name)\":".utf8)
        output.append(contentsOf: raw.utf8)
    }

    private static func field<Number: BinaryInteger>(_ name: String, _ value: Number, _ output: inout [UInt8]) {
        field(name, String(value), &output)
    }

    private static func field(_ name: String, _ value: Double, _ output: inout [UInt8]) {
        field(name, value.isFinite ? rounded(value).description : "null", &output)
    }

    private static func optional(_ value: Double?) -> String { value.map(rounded)?.description ?? "null" }

    /// Four decimals: enough for shares and scores, and stable text.
    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
