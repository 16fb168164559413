import Detectors
import Engagement
import Yams

extension PipelineLoader {
    /// Reads `detectors:` (each detector is on when its section is present) into `job`.
    static func detectors(_ node: Node?, into job: inout EngagementJob.Settings, _ reader: inout YAMLReader) {
        job.detectors = .none
        guard let entries = reader.mapping(node, "detectors", allowed: ["spikes", "followers"]) else { return }
        if let spikes = entries["spikes"] {
            job.detectors.spikes = spikeSettings(spikes, &reader)
            if case .hopping = job.windows {} else {
                reader.report(spikes, "detectors.spikes", "needs hopping or tumbling windows (it reads a regular series of closed windows)")
            }
        }
        if let followers = entries["followers"] { job.detectors.followers = followerSettings(followers, &reader) }
    }

    private static func spikeSettings(_ node: Node, _ reader: inout YAMLReader) -> SpikeSettings {
        var settings = SpikeSettings()
        let path = "detectors.spikes"
        guard let entries = reader.mapping(node, path, allowed: ["sensitivity", "burst_windows", "warmup_windows", "cooldown_windows"]) else {
            return settings
        }
        if let threshold = reader.number(entries["sensitivity"], "\(path).sensitivity", atLeast: 1) { settings.threshold = threshold }
        if let windows = count(entries["burst_windows"], "\(path).burst_windows", &reader) { settings.burstWindows = windows }
        if let windows = count(entries["warmup_windows"], "\(path).warmup_windows", &reader) { settings.warmupWindows = windows }
        if let windows = count(entries["cooldown_windows"], "\(path).cooldown_windows", &reader) { settings.cooldownWindows = windows }
        return settings
    }

    private static func followerSettings(_ node: Node, _ reader: inout YAMLReader) -> FollowerSettings {
        var settings = FollowerSettings()
        let path = "detectors.followers"
        guard let entries = reader.mapping(node, path, allowed: ["dormant_after", "report_every", "drift_noise"]) else { return settings }
        if let dormantAfter = reader.duration(entries["dormant_after"], "\(path).dormant_after", minimum: 60_000) {
            settings.dormantAfter = dormantAfter
        }
        if let every = reader.duration(entries["report_every"], "\(path).report_every", minimum: 1000) { settings.reportEvery = every }
        if let noise = entries["drift_noise"] {
            if let value = noise.float, value > 0, value <= 1 {
                settings.drift.scale = value
            } else {
                reader.report(noise, "\(path).drift_noise", "expected the dormant share's typical day-to-day noise, a number in (0, 1], got \(YAMLReader.describe(noise))")
            }
        }
        return settings
    }

    private static func count(_ node: Node?, _ path: String, _ reader: inout YAMLReader) -> Int? {
        guard let node else { return nil }
        guard let value = node.int, node.scalar?.style == .plain, (1...100_000).contains(value) else {
            reader.report(node, path, "expected a whole number of windows from 1 to 100000, got \(YAMLReader.describe(node))")
            return nil
        }
        return value
    }
}
