import ArgumentParser
import Bench
import Engagement
import Pipeline
import Foundation

struct BenchSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (figures, not tests): ratios measured in one run.",
        subcommands: [IO.self, Core.self, Ledger.self]
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

extension BenchSubcommand {
    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode + windows + aggregates on the shared workload, from memory, one thread, no Kafka.",
            discussion: "Reads JSON Lines (the shared workload: python3 ../shared/bench/gen_jsonl.py -n 1000000 > FILE) and runs the benchmark job (60 s hopping 10 s, grace 5 s, per-key stream time, unknown kinds ignored, post ids not tracked)."
        )

        @Argument(help: "Events as JSON Lines.") var file: String
        @Option(help: "Runs; the median is reported.") var runs = 5
        @Option(help: ArgumentHelp("full: the whole job; decode: decoding and validation only (the window stage costs the difference).", valueName: "full|decode"))
        var stage: CoreBenchmark.Stage = .full

        func run() throws {
            var settings = EngagementJob.Settings(windows: HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!)
            settings.streamTime = .key
            settings.unknownKinds = .ignore
            settings.tracksPosts = false
            settings.activityHorizon = nil
            let benchmark = CoreBenchmark(data: try Array(InputFile.data(file)), settings: settings)
            var results: [CoreBenchmark.Result] = []
            for _ in 0..<max(1, runs) {
                let result = benchmark.run(stage)
                StandardStreams.writeLine(String(format: "  %.3f s  %.0f events/s  %d windows", result.seconds, Double(result.events) / result.seconds, result.windows), to: .error)
                results.append(result)
            }
            let median = results.sorted { $0.seconds < $1.seconds }[results.count / 2]
            let allocations = benchmark.countAllocations(stage).map {
                String(format: ", %.4f allocations per event (%d in a run, counted in one more)", Double($0) / Double(median.events), $0)
            } ?? ""
            StandardStreams.writeLine(String(format: "core (\(stage.rawValue)): %d events, %.0f events/s (median of %d), %d windows, %d rejected, peak RSS %.0f MB during a run (the input in memory included)",
                median.events, Double(median.events) / median.seconds, results.count, median.windows, median.rejected,
                Double(median.peakResidentBytes) / 1_048_576) + allocations, to: .output)
        }
    }
}

extension CoreBenchmark.Stage: ExpressibleByArgument {}

extension BenchSubcommand {
    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The follower ledger at scale: bytes per (creator, follower) pair, follow/engage/report times, resident memory."
        )

        @Option(help: "(creator, follower) pairs.") var pairs = 10_000_000
        @Option(help: "Creators the pairs are spread over.") var creators = 10_000

        func run() throws {
            let result = LedgerBenchmark(pairs: pairs, creators: creators).run()
            guard result.pairs == pairs, result.creatorsReported == creators else {
                StandardStreams.writeLine("resonance bench ledger: expected \(pairs) pairs over \(creators) creators, found \(result.pairs) over \(result.creatorsReported)", to: .error)
                throw ExitCode.failure
            }
            StandardStreams.writeLine(String(
                format: "ledger: %d pairs, %.1f bytes/pair held (%.0f MB), RSS +%.0f MB; follow %.0f ns/pair, engage %.0f ns/pair, health report over all %.2f s",
                result.pairs, Double(result.storageBytes) / Double(result.pairs), Double(result.storageBytes) / 1_048_576,
                Double(result.residentBytesAfter - result.residentBytesBefore) / 1_048_576,
                result.followSeconds * 1e9 / Double(result.pairs), result.engageSeconds * 1e9 / Double(result.pairs), result.reportSeconds), to: .output)
        }
    }
}
