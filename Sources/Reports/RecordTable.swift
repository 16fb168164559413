import Foundation

/// A readable line per result record, for `resonance consume --format table`: fixed-width columns for engagement
/// aggregates, one sentence for spikes, follower health and drifts (JSON Lines stay the format for machines).
/// Anything else prints as topic and value.
enum RecordTableRow {
    static let header = String(format: "%-19@  %-12@ %7@ %6@ %6@ %6@ %6@ %8@ %9@ %6@",
                               "window (UTC)", "creator", "views", "likes", "talk", "shares", "users", "score", "followers", "rate")

    static func line(topic: String, value: UnsafeRawBufferPointer?) -> String {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
              let creator = object["creator_id"] as? String
        else {
            return "\(topic): \(value.map { String(decoding: $0, as: UTF8.self) } ?? "null")"
        }
        func int(_ key: String) -> Int { object[key] as? Int ?? 0 }
        func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? 0 }
        func percent(_ key: String) -> String { (object[key] as? NSNumber).map { String(format: "%.1f%%", $0.doubleValue * 100) } ?? "-" }
        switch object["type"] as? String {
        case "spike_started":
            let kinds = (object["top_kinds"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }.joined(separator: ", ")
            let posts = (object["top_posts"] as? [[String: Any]] ?? []).compactMap { $0["post_id"] as? String }.prefix(2).joined(separator: ", ")
            return String(format: "%-19@  %-12@ SPIKE: %.0f users vs %.1f expected, score %.0f vs %.1f (severity %.1f); kinds %@; posts %@",
                          time(int("onset")), String(creator.prefix(12)), number("observed_users"), number("expected_users"),
                          number("observed_score"), number("expected_score"), number("severity"), kinds, posts)
        case "spike_ended":
            return String(format: "%-19@  %-12@ spike ended after %d min: peak %.0f users a window, %.0f users and %.0f score above baseline",
                          time(int("end")), String(creator.prefix(12)), int("duration_ms") / 60_000, number("peak_users"),
                          number("excess_users"), number("excess_score"))
        case "follower_health":
            return String(format: "%-19@  %-12@ health: %d followers, %@ dormant (%d newly), %d reactivated, %@ engaged",
                          time(int("as_of")), String(creator.prefix(12)), int("followers"), percent("dormant_share"),
                          int("newly_dormant"), int("reactivated"), percent("engagement_rate"))
        case "follower_drift":
            return String(format: "%-19@  %-12@ DRIFT: dormant share %@ → %@ (confidence %.2f), detected %@",
                          time(int("onset")), String(creator.prefix(12)), percent("share_before"), percent("share_after"),
                          number("confidence"), time(int("detected_at")))
        default:
            guard object["window_start"] != nil else { return "\(topic): \(String(decoding: value, as: UTF8.self))" }
            return String(format: "%-19@  %-12@ %7d %6d %6d %6d %6d %8.1f %9d %6@",
                          time(int("window_start")), String(creator.prefix(12)), int("view"), int("like"), int("comment") + int("reply"),
                          int("share"), int("distinct_users"), number("score"), int("followers"), percent("engagement_rate"))
        }
    }

    private static func time(_ milliseconds: Int) -> String {
        let text = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            .formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        return String(text.prefix(19))
    }
}
