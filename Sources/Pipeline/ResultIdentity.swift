import Engagement

/// The identity of a result record: what makes it the same result however often it is computed. Two records with
/// one identity carry the same facts (the job is deterministic), so a worker that takes over a partition drops a
/// result whose identity the output already holds (`ResultSink`), and readers can de-duplicate by it.
///
/// Written as UTF-8 text into the `resonance.id` header of every result, fields joined with `/`, the creator id
/// last (it may contain any character): `aggregate/START/END/CREATOR` for a window,
/// `spike_started/ONSET/TAG/CREATOR` and `spike_ended/ONSET/TAG/CREATOR` for a spike (TAG: the community tag
/// prefixed by its UTF-8 length and `:`, empty for a creator-wide spike), `follower_health/AS_OF/CREATOR`,
/// `follower_drift/ONSET/CREATOR`. Times are epoch milliseconds.
public enum ResultIdentity {
    /// Appends the identity of a window aggregate.
    public static func append(_ aggregate: WindowAggregate, creators: Interner, to output: inout [UInt8]) {
        output.append(contentsOf: "aggregate/\(aggregate.start)/\(aggregate.end)/".utf8)
        creators.appendBytes(aggregate.creator, to: &output)
    }

    /// Appends the identity of a detector result.
    public static func append(_ signal: JobSignal, decoder: EventDecoder, to output: inout [UInt8]) {
        output.append(contentsOf: SignalJSON.type(of: signal).utf8)
        switch signal {
        case .spikeStarted(_, let start, let context):
            output.append(contentsOf: "/\(start.onset)/".utf8)
            tag(context.community, decoder: decoder, &output)
        case .spikeEnded(_, let community, let end):
            output.append(contentsOf: "/\(end.onset)/".utf8)
            tag(community, decoder: decoder, &output)
        case .followerHealth(let health):
            output.append(contentsOf: "/\(health.asOf)".utf8)
        case .followerDrift(let drift):
            output.append(contentsOf: "/\(drift.onset)".utf8)
        }
        output.append(UInt8(ascii: "/"))
        decoder.creators.appendBytes(SignalJSON.creator(of: signal), to: &output)
    }

    private static func tag(_ community: UInt32?, decoder: EventDecoder, _ output: inout [UInt8]) {
        guard let community else { return }
        var bytes: [UInt8] = []
        decoder.communities.appendBytes(community, to: &bytes)
        output.append(contentsOf: "\(bytes.count):".utf8)
        output.append(contentsOf: bytes)
    }
}
