import Foundation

/// Time axis labels and ticks in UTC.
enum ChartTime {
    private static let hour: Int64 = 3_600_000
    private static let day: Int64 = 86_400_000

    /// Tick times between `start` and `end`: about six, on round hours or days.
    static func ticks(from start: Int64, to end: Int64) -> [Int64] {
        let steps: [Int64] = [
            600_000, 1_800_000, hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 14 * day, 30 * day,
        ]
        let step = steps.first { (end - start) / $0 <= 8 } ?? 30 * day
        var tick = (start + step - 1) / step * step
        var ticks: [Int64] = []
        while tick <= end {
            ticks.append(tick)
            tick += step
        }
        return ticks
    }

    /// A label for `time`: the date at midnight of a chart spanning more than two days and the hour between (so
    /// ticks every 6 h read `Nov 30, 06:00, 12:00, …`); date and hour for one to two days; the hour within a day;
    /// both, with the year, when `long`.
    static func label(_ time: Int64, span: Int64, long: Bool) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat =
            if long { "yyyy-MM-dd HH:mm" } else if span > 2 * day {
                time % day == 0 ? "MMM d" : "HH:mm"
            } else if span > day {
                "MMM d HH:mm"
            } else { "HH:mm" }
        return formatter.string(from: Date(timeIntervalSince1970: Double(time) / 1000))
    }

    /// A duration as people say it: 1 min, 15 min, 2 h, 1 d.
    static func duration(_ milliseconds: Int64) -> String {
        if milliseconds % day == 0 { return "\(milliseconds / day) d" }
        if milliseconds % hour == 0 { return "\(milliseconds / hour) h" }
        return "\(milliseconds / 60_000) min"
    }
}
