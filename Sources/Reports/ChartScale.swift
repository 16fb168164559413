import Foundation

/// Axis arithmetic: "nice" value ticks and bucket widths that are round durations.
enum ChartScale {
    /// Ticks from 0 to at least `maximum`, on a 1–2–5 step, about five of them.
    static func ticks(upTo maximum: Double) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let rough = maximum / 5
        let magnitude = pow(10, log10(rough).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let count = Int((maximum / step).rounded(.up))
        return (0...max(1, count)).map { Double($0) * step }
    }

    /// A tick label without needless decimals: 0, 2.5, 1.5k, 2M.
    static func label(_ value: Double) -> String {
        switch abs(value) {
        case 1_000_000...: return trimmed(value / 1_000_000) + "M"
        case 10_000...: return trimmed(value / 1_000) + "k"
        default: return trimmed(value)
        }
    }

    /// The smallest round duration (ms) at least `minimum` wide that splits `span` into at most `buckets` buckets.
    static func bucketWidth(span: Int64, atLeast minimum: Int64, buckets: Int) -> Int64 {
        let minute: Int64 = 60_000
        let round: [Int64] = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map { $0 * minute }
        let needed = max(minimum, (span + Int64(buckets) - 1) / Int64(buckets))
        return round.first { $0 >= needed && $0 % minimum == 0 } ?? round.first { $0 >= needed } ?? needed
    }

    private static func trimmed(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
