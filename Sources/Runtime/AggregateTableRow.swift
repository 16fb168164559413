import Foundation

/// A fixed-width line per engagement aggregate, for `resonance consume --format table`: a readable live view for
/// people (JSON Lines stay the format for machines). Records that are not aggregates print as topic and value.
enum AggregateTableRow {
    static let header = String(format: "%-19@  %-12@ %7@ %6@ %6@ %6@ %6@ %8@ %9@ %6@",
                               "window (UTC)", "creator", "views", "likes", "talk", "shares", "users", "score", "followers", "rate")

    static func line(topic: String, value: UnsafeRawBufferPointer?) -> String {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            let start = object["window_start"] as? Int, let creator = object["creator_id"] as? String
        else {
            return "\(topic): \(value.map { String(decoding: $0, as: UTF8.self) } ?? "null")"
        }
        func int(_ key: String) -> Int { object[key] as? Int ?? 0 }
        let time = Date(timeIntervalSince1970: Double(start) / 1000).formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        let rate = (object["engagement_rate"] as? Double).map { String(format: "%5.1f%%", $0 * 100) } ?? "    -"
        return String(format: "%-19@  %-12@ %7d %6d %6d %6d %6d %8.1f %9d %6@",
                      String(time.prefix(19)), String(creator.prefix(12)), int("view"), int("like"), int("comment") + int("reply"),
                      int("share"), int("distinct_users"), object["score"] as? Double ?? 0, int("followers"), rate)
    }
}
