import CAllocationCount
import Engagement
import Foundation
import Pipeline

/// `resonance bench core`: decode + windows + aggregates over an in-memory workload on one thread, no Kafka.
public struct CoreBenchmark {
    /// What one run measured.
    public struct Result: Sendable {
        public var events: Int
        public var seconds: Double
        public var windows: Int
        public var rejected: Int
        public var peakResidentBytes: Int
    }

    let lines: [Range<Int>]
    let bytes: [UInt8]
    let settings: EngagementJob.Settings

    /// Prepares a run over the JSON Lines in `data`.
    public init(data: [UInt8], settings: EngagementJob.Settings) {
        bytes = data
        var lines: [Range<Int>] = []
        var start = 0
        for index in data.indices where data[index] == UInt8(ascii: "\n") {
            if index > start { lines.append(start..<index) }
            start = index + 1
        }
        if start < data.count { lines.append(start..<data.count) }
        self.lines = lines
        self.settings = settings
    }

    /// How much of the job a run does.
    public enum Stage: String, CaseIterable, Sendable {
        /// Decoding and validation only, scanned ahead as the job scans (`RecordLookahead`): what the window stage
        /// costs is the difference to `full`.
        case decode
        /// The whole job: decode, windows, aggregates.
        case full
    }

    /// Runs `stage` once over every line.
    public func run(_ stage: Stage = .full) -> Result {
        ResidentMemory.resetPeak()
        let start = ContinuousClock.now
        let (windows, rejected) = pass(stage)
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        return Result(events: lines.count, seconds: seconds, windows: windows, rejected: rejected,
                      peakResidentBytes: ResidentMemory.peakBytes())
    }

    /// Runs `stage` once more, untimed, counting the Swift heap allocations it makes (objects, array and dictionary
    /// buffers, boxes, closure contexts; see `resonance_allocation_count_start`); nil where they cannot be counted.
    public func countAllocations(_ stage: Stage = .full) -> Int? {
        guard resonance_allocation_count_start() else { return nil }
        _ = pass(stage)
        return Int(resonance_allocation_count_stop())
    }

    /// One pass of `stage` over every line: windows emitted, records rejected.
    private func pass(_ stage: Stage) -> (windows: Int, rejected: Int) {
        var windows = 0
        var rejected = 0
        var lookahead = RecordLookahead()
        lookahead.begin(count: lines.count)
        bytes.withUnsafeBytes { all in
            let value = { (position: Int) in UnsafeRawBufferPointer?(UnsafeRawBufferPointer(rebasing: all[lines[position]])) }
            switch stage {
            case .decode:
                var decoder = EventDecoder(maxEventBytes: settings.maxEventBytes)
                decoder.decodesPosts = settings.tracksPosts
                for position in lines.indices {
                    let record = lookahead.take(position, decoder: &decoder, value: value)
                    if case .rejected = decoder.decode(record) { rejected += 1 }
                }
            case .full:
                var job = EngagementJob(settings: settings)
                for position in lines.indices {
                    let record = lookahead.take(position, job: &job, value: value)
                    if job.process(record, emit: { _ in windows += 1 }) != nil { rejected += 1 }
                }
            }
        }
        return (windows, rejected)
    }
}
