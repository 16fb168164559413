import ArgumentParser
import Foundation
import Pipeline

struct EvalSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Stream benchmark series through the detectors with their default settings; alerts as CSV on stdout.",
        discussion: "Score the output with ../shared/eval/nab_eval.py and tcpd_eval.py.",
        subcommands: [Spikes.self, ChangePoints.self]
    )

    struct Spikes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "NAB-format series (timestamp,value) through the spike detector: series,timestamp,score per alert."
        )

        @Argument(help: "NAB-format CSV files.")
        var files: [String]

        func run() throws {
            StandardStreams.writeLine("series,timestamp,score", to: .output)
            for file in files {
                let text = try InputFile.text(file)
                let series = URL(fileURLWithPath: file).lastPathComponent
                do {
                    for alert in try SpikeEvaluation.alerts(csv: text) {
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

        func run() throws {
            StandardStreams.writeLine("dataset,index", to: .output)
            for file in files {
                let dataset: ChangePointEvaluation.Dataset
                do {
                    dataset = try ChangePointEvaluation.dataset(json: try InputFile.data(file))
                } catch let error as ChangePointEvaluation.FormatError {
                    throw EvalInput.failure(file, error.description)
                }
                for index in ChangePointEvaluation.changes(dataset.values) {
                    StandardStreams.writeLine("\(dataset.name),\(index)", to: .output)
                }
            }
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
