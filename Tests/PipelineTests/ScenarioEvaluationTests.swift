import Pipeline
import Testing

@Suite("Detectors on synthetic creators with known ground truth")
struct ScenarioEvaluationTests {
    @Test("100 stable creators and 100 with an injected spike or drift: detection rate, false alarms, delays within the documented bounds")
    func mixedScenarios() {
        var traffic = SocialTraffic.Settings()
        traffic.creators = 200
        traffic.affectedShare = 0.5
        traffic.scenario = .mix
        traffic.duration = 60 * 86_400_000
        traffic.eventsPerSecond = 0.1
        traffic.seed = 1
        let report = ScenarioEvaluation.run(traffic: traffic, job: .engagementDefaults)
        print("""
            scenarios: \(report.stableCreators) stable creators, \(report.events) events; \
            spikes \(report.spikesDetected)/\(report.spikesInjected), median delay \(ScenarioEvaluation.Report.median(report.spikeDelays) ?? -1) ms, \
            \(report.falseSpikes) false; drifts \(report.driftsDetected)/\(report.driftsInjected), \
            median delay \(ScenarioEvaluation.Report.median(report.driftDelays) ?? -1) ms, \(report.falseDrifts) false
            """)
        #expect(report.stableCreators == 100)
        #expect(report.spikesInjected >= 40 && report.driftsInjected >= 30)
        #expect(Double(report.spikesDetected) >= 0.9 * Double(report.spikesInjected))
        #expect(Double(report.driftsDetected) >= 0.75 * Double(report.driftsInjected))
        #expect(report.perCreatorYear(report.falseSpikes) <= 0.5)
        #expect(report.perCreatorYear(report.falseDrifts) <= 0.6)
        #expect((ScenarioEvaluation.Report.median(report.spikeDelays) ?? .max) <= 30 * 60_000)
        #expect((ScenarioEvaluation.Report.median(report.driftDelays) ?? .max) <= 5 * 86_400_000)
    }

    @Test("the same seed gives the same traffic and ground truth; another seed does not")
    func deterministic() {
        var settings = SocialTraffic.Settings()
        settings.scenario = .mix
        settings.duration = 2 * 86_400_000
        let first = SocialTraffic(settings: settings)
        let again = SocialTraffic(settings: settings)
        #expect(Array(first.prefix(5000)).map(\.value) == Array(again.prefix(5000)).map(\.value))
        #expect(first.injections == again.injections)
        settings.seed = 43
        #expect(Array(SocialTraffic(settings: settings).prefix(5000)).map(\.value) != Array(first.prefix(5000)).map(\.value))
    }
}
