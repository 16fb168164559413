import ArgumentParser
import Foundation
import Detectors
import Engagement
import Pipeline

struct EvalSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Stream benchmark series through the detectors with their default settings; alerts as CSV on stdout.",
        discussion: "Score the output with ../shared/eval/nab_eval.py and tcpd_eval.py.",
        subcommands: [Spikes.self, ChangePoints.self, Scenarios.self]
    )

    struct Spikes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "NAB-format series (timestamp,value) through the spike detector: series,timestamp,score per alert."
        )

        @Argument(help: "NAB-format CSV files.")
        var files: [String]

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting (repeatable), e.g. threshold=6.", valueName: "name=value"))
        var overrides: [String] = []

        func run() throws {
            let settings = try SettingOverrides.apply(
                overrides, to: SpikeSettings(), numbers: SettingOverrides.spikes, counts: SettingOverrides.spikeCounts)
            StandardStreams.writeLine("series,timestamp,score", to: .output)
            for file in files {
                let text = try InputFile.text(file)
                let series = URL(fileURLWithPath: file).lastPathComponent
                do {
                    for alert in try SpikeEvaluation.alerts(csv: text, settings: settings) {
                        StandardStreams.writeLine("\(series),\(alert.timestamp),\(String(format: "%.2f", alert.severity))", to: .output)
                    }
                } catch {
                    throw EvalInput.failure(file, error.description)
                }
            }
        }
    }

    struct ChangePoints: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "changepoints",
            abstract: "TCPD datasets (first series of each) through the drift change detector: dataset,index per change."
        )

        @Argument(help: "TCPD JSON files.")
        var files: [String]

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting (repeatable), e.g. hazard=0.01.", valueName: "name=value"))
        var overrides: [String] = []

        func run() throws {
            let settings = try SettingOverrides.apply(
                overrides, to: ChangePointSettings(), numbers: SettingOverrides.changePoints,
                counts: SettingOverrides.changePointCounts)
            StandardStreams.writeLine("dataset,index", to: .output)
            for file in files {
                let dataset: ChangePointEvaluation.Dataset
                do {
                    dataset = try ChangePointEvaluation.dataset(json: try InputFile.data(file))
                } catch let error as ChangePointEvaluation.FormatError {
                    throw EvalInput.failure(file, error.description)
                }
                for index in ChangePointEvaluation.changes(dataset.values, settings: settings) {
                    StandardStreams.writeLine("\(dataset.name),\(index)", to: .output)
                }
            }
        }
    }
}

extension EvalSubcommand {
    struct Scenarios: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Synthetic creators with injected spikes and dormancy drifts through a pipeline's detectors: detection rate, false alarms, delays.",
            discussion: "Half the creators (--affected-share) get a scenario; the rest are stable. The same seed gives the same traffic."
        )

        @Option(help: "Creators.") var creators = 200
        @Option(help: "Days of event time.") var days = 60.0
        @Option(help: "Interactions per second of event time over all creators.") var eventsPerSecond = 0.1
        @Option(help: "Scenario to inject: viral-post, giveaway, collab, dormancy or mix.") var scenario = "mix"
        @Option(help: "Share of creators that get the scenario.") var affectedShare = 0.5
        @Option(help: "Seed.") var seed: UInt64 = 1
        @Option(help: "Pipeline whose job and detectors to run (default: Pipelines/engagement.yaml's defaults).") var pipeline: String?

        func run() throws {
            guard let chosen = SocialTraffic.Scenario(rawValue: scenario) else {
                throw ValidationError("--scenario: expected one of \(SocialTraffic.Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var traffic = SocialTraffic.Settings()
            traffic.creators = creators
            traffic.duration = Int64(days * 86_400_000)
            traffic.eventsPerSecond = eventsPerSecond
            traffic.scenario = chosen
            traffic.affectedShare = affectedShare
            traffic.seed = seed
            let job = try pipeline.map { try PipelineFile.load($0).job } ?? EngagementJob.Settings.engagementDefaults
            traffic.dormantAfter = job.detectors.followers?.dormantAfter ?? traffic.dormantAfter
            let report = ScenarioEvaluation.run(traffic: traffic, job: job)
            let minutes = { (value: Int64?) in value.map { String(format: "%.1f min", Double($0) / 60_000) } ?? "n/a" }
            let days = { (value: Int64?) in value.map { String(format: "%.1f days", Double($0) / 86_400_000) } ?? "n/a" }
            StandardStreams.writeLine("""
                creators \(report.creators) (\(report.stableCreators) stable), \(String(format: "%.1f", report.days)) days, \(report.events) events
                spikes: detected \(report.spikesDetected)/\(report.spikesInjected), median delay \(minutes(ScenarioEvaluation.Report.median(report.spikeDelays))), false alarms \(report.falseSpikes) (\(String(format: "%.2f", report.perCreatorYear(report.falseSpikes))) per creator-year)
                drifts: detected \(report.driftsDetected)/\(report.driftsInjected), median delay \(days(ScenarioEvaluation.Report.median(report.driftDelays))), false alarms \(report.falseDrifts) (\(String(format: "%.2f", report.perCreatorYear(report.falseDrifts))) per creator-year)
                """, to: .output)
        }
    }
}

/// Evaluation input errors, naming the file.
enum EvalInput {
    static func failure(_ file: String, _ message: String) -> Error {
        StandardStreams.writeLine("resonance eval: \(file): \(message)", to: .error)
        return ExitCode.failure
    }
}
