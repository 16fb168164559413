import ArgumentParser
import Bench
import Foundation

struct BenchSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (figures, not tests): ratios measured in one run.",
        subcommands: [IO.self]
    )

    struct IO: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Produce and consume N messages of ~120 bytes through our client and through kcat, on one dev broker.",
            discussion: "The dev broker keeps at most ~5 MiB per partition, so N is spread over enough partitions to hold it; the run fails if any data was dropped."
        )

        @Option(name: .customShort("n"), help: "Messages per path.")
        var messages = 2_000_000

        @Option(help: "Partitions per topic.")
        var partitions = 128

        @Option(help: "Runs; medians are reported.")
        var runs = 3

        func validate() throws {
            guard messages >= 1, partitions >= 1, runs >= 1 else {
                throw ValidationError("-n, --partitions and --runs must be ≥ 1")
            }
        }

        func run() throws {
            var options = IOBenchmark.Options(resonanceExecutable: Bundle.main.executablePath ?? CommandLine.arguments[0])
            options.messages = messages
            options.partitions = partitions
            options.runs = runs
            let result = try IOBenchmark(options: options) { StandardStreams.writeLine($0, to: .error) }.run()
            let lines = [
                String(format: "produce  resonance %10.0f msgs/s   kcat %10.0f msgs/s   ratio %.2f×",
                       result.ourProduce, result.kcatProduce, result.ourProduce / result.kcatProduce),
                String(format: "consume  resonance %10.0f msgs/s   kcat %10.0f msgs/s   ratio %.2f×",
                       result.ourConsume, result.kcatConsume, result.ourConsume / result.kcatConsume),
            ]
            for line in lines { StandardStreams.writeLine(line, to: .output) }
        }
    }
}
