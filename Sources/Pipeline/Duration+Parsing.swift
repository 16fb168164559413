/// Parses pipeline durations: an integer and a unit, `ms`, `s`, `m`, `h` or `d` (`500ms`, `30s`, `10m`, `14d`).
public enum DurationText {
    /// Milliseconds, or nil when `text` is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let value = Int64(text.dropLast(unit.count)), value >= 0 else { return nil }
            let (result, overflow) = value.multipliedReportingOverflow(by: factor)
            return overflow ? nil : result
        }
        return nil
    }

    /// The shortest exact text for `milliseconds` (`1d`, `90s`, `250ms`).
    public static func format(_ milliseconds: Int64) -> String {
        for (unit, factor) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds != 0 && milliseconds % factor == 0 {
            return "\(milliseconds / factor)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}
