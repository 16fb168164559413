import Engagement

/// Scores the detectors on `SocialTraffic` with injected scenarios (`resonance eval scenarios`): every event goes
/// through an engagement job with the pipeline's detectors, and the alerts are matched to the ground truth.
///
/// A spike scenario counts as detected by a `spike_started` of its creator with an onset between 30 minutes before
/// it starts and its end; a drift scenario by a `follower_drift` of its creator with an onset within 3 days
/// before to 14 days after the moment the dormant share can start rising, detected within 14 days of it. Every other
/// alert is a false alarm.
public struct ScenarioEvaluation {
    /// What the evaluation found.
    public struct Report: Sendable {
        public var creators = 0
        public var events = 0
        public var days = 0.0
        public var spikesInjected = 0
        public var spikesDetected = 0
        public var spikeDelays: [Int64] = []
        public var driftsInjected = 0
        public var driftsDetected = 0
        public var driftDelays: [Int64] = []
        public var falseSpikes = 0
        public var falseDrifts = 0
        /// Creators with no injection.
        public var stableCreators = 0

        /// Median of `values`, or nil when empty.
        public static func median(_ values: [Int64]) -> Int64? {
            let sorted = values.sorted()
            return sorted.isEmpty ? nil : sorted[sorted.count / 2]
        }

        /// False alarms per creator-year of event time, over all creators.
        public func perCreatorYear(_ alarms: Int) -> Double {
            Double(alarms) / (Double(creators) * days / 365.25)
        }
    }

    /// Runs the evaluation.
    public static func run(traffic settings: SocialTraffic.Settings, job jobSettings: EngagementJob.Settings) -> Report {
        var traffic = SocialTraffic(settings: settings)
        var job = EngagementJob(settings: jobSettings)
        var spikes: [(creator: String, onset: Int64, detected: Int64)] = []
        var drifts: [(creator: String, onset: Int64, detected: Int64)] = []
        var report = Report()
        report.creators = settings.creators
        report.days = Double(settings.duration) / 86_400_000
        while var record = traffic.next() {
            report.events += 1
            var signals: [JobSignal] = []
            _ = record.value.withUTF8 { job.process(UnsafeRawBufferPointer($0), emit: { _ in }, signal: { signals.append($0) }) }
            for signal in signals {
                switch signal {
                case .spikeStarted(let creator, let start, let context):
                    spikes.append((job.decoder.creators.string(creator), start.onset, context.windowEnd))
                case .followerDrift(let drift):
                    drifts.append((job.decoder.creators.string(drift.creator), drift.onset, drift.detectedAt))
                default:
                    break
                }
            }
        }
        let injections = traffic.injections
        report.stableCreators = settings.creators - Set(injections.map(\.creator)).count
        var matchedSpikes = Set<Int>(), matchedDrifts = Set<Int>()
        let day: Int64 = 86_400_000
        for injection in injections {
            if injection.isSpike {
                report.spikesInjected += 1
                if let index = spikes.indices.first(where: {
                    !matchedSpikes.contains($0) && spikes[$0].creator == injection.creator
                        && spikes[$0].onset >= injection.start - 1_800_000 && spikes[$0].onset < injection.end
                }) {
                    matchedSpikes.insert(index)
                    report.spikesDetected += 1
                    report.spikeDelays.append(spikes[index].detected - injection.start)
                }
            }
            if let from = injection.driftFrom {
                report.driftsInjected += 1
                if let index = drifts.indices.first(where: {
                    !matchedDrifts.contains($0) && drifts[$0].creator == injection.creator
                        && drifts[$0].onset >= from - 3 * day && drifts[$0].onset <= from + 14 * day
                        && drifts[$0].detected <= from + 14 * day
                }) {
                    matchedDrifts.insert(index)
                    report.driftsDetected += 1
                    report.driftDelays.append(drifts[index].detected - from)
                }
            }
        }
        report.falseSpikes = spikes.count - matchedSpikes.count
        report.falseDrifts = drifts.count - matchedDrifts.count
        return report
    }
}
