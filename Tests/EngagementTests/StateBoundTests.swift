import Engagement
import Pipeline
import Testing

@Suite("State stays bounded")
struct StateBoundTests {
    @Test("1,000,000 distinct creator ids: idle creators are evicted, interners compacted, nothing unbounded")
    func distinctCreators() {
        var settings = EngagementJob.Settings(windows: HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!)
        settings.streamTime = .key
        settings.stateTTL = 60_000  // one minute of event time: 60,000 live creators at 1,000 events/s
        var job = EngagementJob(settings: settings)
        var emitted = 0
        var windowsAtEviction = 0
        var peakCreators = 0
        var peakUsers = 0
        var peakPanes = 0
        var peakUserListBytes = 0
        var line: [UInt8] = []
        let total = 1_000_000
        for index in 0..<total {
            // 1,000 events per second of event time, each from a creator never seen before.
            let ts = 1_700_000_000_000 + Int64(index)
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"event_id":"e\#(index)","ts":\#(ts),"creator_id":"fake-\#(index)","user_id":"u\#(index % 5000)","kind":"like"}"#.utf8)
            let rejection = line.withUnsafeBytes { job.process($0) { _ in emitted += 1 } }
            #expect(rejection == nil)
            if index % 50_000 == 0 {
                peakCreators = max(peakCreators, job.decoder.creators.count)
                peakUsers = max(peakUsers, job.decoder.users.count)
                peakPanes = max(peakPanes, job.hoppingAggregator?.openPaneCount ?? 0)
                peakUserListBytes = max(peakUserListBytes, job.hoppingAggregator?.userListBytes ?? 0)
            }
            if index == total / 2 { windowsAtEviction = emitted }
        }
        // The live set is one TTL of creators (60,000); interners are compacted once they hold twice that, and
        // sweeps run every TTL/16 of event time, so nothing grows past ~2.1× the live set.
        #expect(peakCreators <= 130_000)
        #expect(job.decoder.creators.count <= 130_000)
        #expect(peakPanes <= 65_000)
        #expect(peakUsers <= 5_000)
        // The panes' user lists: one smallest block (16 bytes) per live pane, the array reused and, once mostly free
        // blocks after evictions, moved into a fresh one.
        #expect(peakUserListBytes <= 4 << 20)
        #expect(job.evictedCreators >= total - 65_000)
        // Every evicted creator's windows were flushed, not dropped: six windows per single-event creator.
        #expect(emitted == 6 * job.evictedCreators)
        #expect(windowsAtEviction > 0)
    }
}
