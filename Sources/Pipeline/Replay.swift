import Engagement

/// Runs an `EngagementJob` over JSON Lines in memory (`resonance replay`): results as JSON Lines, rejections as
/// JSON Lines with the 1-based line number and reason. With several partitions, each line goes to the job of the
/// partition its `creator_id` key would land on in Kafka (`KeyPartitioner`), one job per partition as in the workers,
/// so pipelines with partition stream time give the workers' results.
public struct Replay {
    /// What a replay did.
    public struct Summary: Sendable {
        public var lines = 0
        public var windows = 0
        /// Detector results: spikes, follower health reports and drifts.
        public var signals = 0
        public var rejected = 0
        public var late = 0
    }

    var jobs: [EngagementJob]
    let partitioner: KeyPartitioner

    /// Creates a replay of a job with `settings` over `partitions` source partitions.
    public init(settings: EngagementJob.Settings, partitions: Int = 1) {
        partitioner = KeyPartitioner(partitions: partitions)
        jobs = Array(repeating: EngagementJob(settings: settings), count: partitioner.partitions)
    }

    /// Processes every line of `input`, flushing output through the writers in chunks.
    public mutating func run(
        _ input: UnsafeRawBufferPointer,
        results: (UnsafeRawBufferPointer) -> Void,
        rejections: (UnsafeRawBufferPointer) -> Void
    ) -> Summary {
        var summary = Summary()
        var output: [UInt8] = []
        output.reserveCapacity(1 << 20)
        var rejected: [UInt8] = []
        var lineStart = 0
        while lineStart < input.count {
            var lineEnd = lineStart
            while lineEnd < input.count && input[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            summary.lines += 1
            let line = UnsafeRawBufferPointer(rebasing: input[lineStart..<lineEnd])
            let partition = jobs.count == 1 ? 0 : partitioner.partition(of: Self.creatorKey(line))
            var closed: [WindowAggregate] = []
            var signals: [JobSignal] = []
            let rejection = jobs[partition].process(line, partition: Int32(partition), emit: { closed.append($0) },
                                                    signal: { signals.append($0) })
            for aggregate in closed {
                AggregateJSON.append(aggregate, creators: jobs[partition].decoder.creators, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            for signal in signals {
                SignalJSON.append(signal, decoder: jobs[partition].decoder, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            summary.windows += closed.count
            summary.signals += signals.count
            if let rejection {
                summary.rejected += 1
                let field = rejection.field.map { #","field":"\#($0)""# } ?? ""
                rejected.append(contentsOf: #"{"line":\#(summary.lines),"reason":"\#(rejection.reason.rawValue)"\#(field)}"#.utf8)
                rejected.append(UInt8(ascii: "\n"))
            }
            if output.count > 1 << 19 { output.withUnsafeBytes(results); output.removeAll(keepingCapacity: true) }
            if rejected.count > 1 << 16 { rejected.withUnsafeBytes(rejections); rejected.removeAll(keepingCapacity: true) }
            lineStart = lineEnd + 1
        }
        output.withUnsafeBytes(results)
        rejected.withUnsafeBytes(rejections)
        summary.late = jobs.reduce(0) { $0 + $1.lateEvents }
        return summary
    }

    /// The raw value of a line's `"creator_id":"…"` (the record key `resonance produce` uses), found without a parse;
    /// empty when absent or escaped.
    static func creatorKey(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let marker = Array(#""creator_id":""#.utf8)
        guard line.count > marker.count else { return UnsafeRawBufferPointer(rebasing: line[0..<0]) }
        var index = 0
        while index + marker.count <= line.count {
            if line[index] == marker[0] && line[index..<index + marker.count].elementsEqual(marker) {
                let start = index + marker.count
                var end = start
                while end < line.count && line[end] != UInt8(ascii: "\"") && line[end] != UInt8(ascii: "\\") { end += 1 }
                return UnsafeRawBufferPointer(rebasing: line[start..<end])
            }
            index += 1
        }
        return UnsafeRawBufferPointer(rebasing: line[0..<0])
    }
}
