import Detectors
import Engagement

/// Streams a NAB-format series (`timestamp,value`, one row per step, timestamps like `2015-02-26 21:42:53` in UTC)
/// through the spike detector, as `resonance eval spikes` does: the value is the window audience, the score channel
/// is off.
public enum SpikeEvaluation {
    /// An alert: the timestamp text of the last row the detector had seen, and the spike's severity.
    public struct Alert: Sendable, Equatable {
        public var timestamp: String
        public var severity: Double
    }

    /// Why a series could not be read.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        /// 1-based line of the problem.
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Every alert the detector raises on the series `csv`, in order.
    public static func alerts(csv: String, settings: SpikeSettings = SpikeSettings()) throws(FormatError) -> [Alert] {
        let rows = try parse(csv)
        var detector = SpikeDetector(settings: settings, step: typicalStep(rows), watchesScore: false)
        var alerts: [Alert] = []
        for row in rows {
            detector.observe(windowStart: row.time, audience: row.value) { signal in
                if case .started(let start) = signal { alerts.append(Alert(timestamp: String(row.text), severity: start.severity)) }
            }
        }
        return alerts
    }

    private struct Row {
        var text: Substring
        var time: Int64
        var value: Double
    }

    /// The data rows of `csv` (a header line, then `timestamp,value` rows; LF or CRLF line ends; blank lines skipped).
    private static func parse(_ csv: String) throws(FormatError) -> [Row] {
        var rows: [Row] = []
        // Lines are split on the byte 0x0A: as Characters, "\r\n" is one grapheme that a split on "\n" never sees.
        let lines = csv.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (number, bytes) in lines.enumerated() {
            let line = Substring(bytes.last == 0x0D ? bytes.dropLast() : bytes)
            if number == 0 || line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw FormatError(line: number + 1, message: "expected timestamp,value, got '\(line)'") }
            guard let time = RFC3339.milliseconds(fields[0] + "Z") else {
                throw FormatError(line: number + 1, message: "expected a timestamp like 2015-02-26 21:42:53, got '\(fields[0])'")
            }
            guard let value = Double(fields[1]), value.isFinite else {
                throw FormatError(line: number + 1, message: "expected a number, got '\(fields[1])'")
            }
            rows.append(Row(text: fields[0], time: time, value: value))
        }
        guard !rows.isEmpty else { throw FormatError(line: lines.count, message: "no data rows after the header") }
        return rows
    }

    /// The most common gap between consecutive rows (the series' step).
    private static func typicalStep(_ rows: [Row]) -> Int64 {
        var gaps: [Int64: Int] = [:]
        for (earlier, later) in zip(rows, rows.dropFirst()).prefix(1000) where later.time > earlier.time {
            gaps[later.time - earlier.time, default: 0] += 1
        }
        return gaps.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 300_000
    }
}
