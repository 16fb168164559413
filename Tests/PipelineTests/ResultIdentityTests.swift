import Testing

@testable import Detectors
@testable import Engagement
@testable import Pipeline

@Suite("Result identities")
struct ResultIdentityTests {
    @Test("a window is named by its bounds and creator; the creator id goes last, verbatim")
    func aggregate() {
        var decoder = EventDecoder()
        let creator = decoder.creators.intern("c/7 é")
        let window = WindowAggregate(
            creator: creator, start: 60_000, end: 120_000, counts: KindCounts(), audience: AudienceCounts(), score: 0,
            followers: 0)
        var identity: [UInt8] = []
        ResultIdentity.append(window, creators: decoder.creators, to: &identity)
        #expect(String(decoding: identity, as: UTF8.self) == "aggregate/60000/120000/c/7 é")
    }

    @Test("detector results carry their kind and the instant that makes them one result; tags are length-prefixed")
    func signals() {
        var decoder = EventDecoder()
        let creator = decoder.creators.intern("a")
        let tag = decoder.communities.intern("x/y")
        let ended = JobSignal.spikeEnded(
            creator: creator, community: tag,
            SpikeEnd(onset: 5, end: 9, peakAudience: 0, peakScore: 0, excessAudience: 0, excessScore: 0))
        let untagged = JobSignal.spikeEnded(
            creator: creator, community: nil,
            SpikeEnd(onset: 5, end: 9, peakAudience: 0, peakScore: 0, excessAudience: 0, excessScore: 0))
        let drift = JobSignal.followerDrift(
            FollowerDrift(creator: creator, onset: 7, detectedAt: 8, shareBefore: 0.1, shareAfter: 0.3, confidence: 0.9)
        )
        let names = [ended, untagged, drift].map { signal -> String in
            var identity: [UInt8] = []
            ResultIdentity.append(signal, decoder: decoder, to: &identity)
            return String(decoding: identity, as: UTF8.self)
        }
        #expect(names == ["spike_ended/5/3:x/y/a", "spike_ended/5//a", "follower_drift/7/a"])
    }
}
