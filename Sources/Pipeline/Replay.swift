import Engagement

/// Runs an `EngagementJob` over JSON Lines in memory (`resonance replay`): results as JSON Lines, rejections as
/// JSON Lines with the 1-based line number and reason.
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

    var job: EngagementJob

    /// Creates a replay of a job with `settings`.
    public init(settings: EngagementJob.Settings) { job = EngagementJob(settings: settings) }

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
            var closed: [WindowAggregate] = []
            var signals: [JobSignal] = []
            let rejection = job.process(line, emit: { closed.append($0) }, signal: { signals.append($0) })
            for aggregate in closed {
                AggregateJSON.append(aggregate, creators: job.decoder.creators, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            for signal in signals {
                SignalJSON.append(signal, decoder: job.decoder, to: &output)
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
        summary.late = job.lateEvents
        return summary
    }
}
