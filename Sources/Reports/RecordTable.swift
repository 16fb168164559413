import Foundation

/// The readable live view of `resonance consume --format table`: fixed-width columns for engagement aggregates and
/// follower health, each kind under its own header (printed again whenever rows of that kind follow other lines), and
/// one sentence for spikes and drifts. Anything else prints as topic and value. JSON Lines stay the format for
/// machines.
public struct RecordTable: Sendable {
    /// The tabular kinds, each with its header.
    enum Kind: Equatable, Sendable {
        case aggregate, health, sentence
    }

    private var previous: Kind?

    /// An empty table: the first tabular row prints its header.
    public init() {}

    static let aggregateHeader = TextColumns.line([
        ("window (UTC)", -19), ("creator", -12), ("engaged", 7), ("reach", 6), ("likes", 6), ("talk", 6), ("shares", 6),
        ("views", 6), ("score", 8), ("followers", 9), ("rate", 6), ("f.shr", 6),
    ])
    static let healthHeader = TextColumns.line([
        ("health as of (UTC)", -19), ("creator", -12), ("followers", 9), ("change", 7), ("eng.7d", 7), ("eng.30d", 7),
        ("share", 6), ("dormant", 7), ("change", 7), ("unmatched", 9),
    ])

    /// The lines for one record: its row, preceded by its kind's header when the previous line was of another kind.
    public mutating func lines(topic: String, value: UnsafeRawBufferPointer?) -> String {
        let (kind, row) = Self.row(topic: topic, value: value)
        defer { previous = kind }
        switch kind {
        case .aggregate where previous != .aggregate: return Self.aggregateHeader + "\n" + row
        case .health where previous != .health: return Self.healthHeader + "\n" + row
        default: return row
        }
    }

    static func row(topic: String, value: UnsafeRawBufferPointer?) -> (Kind, String) {
        guard let value, let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
            let creator = (object["creator_id"] as? String).map({ String($0.prefix(12)) })
        else {
            return (.sentence, "\(topic): \(value.map { String(decoding: $0, as: UTF8.self) } ?? "null")")
        }
        let fields = Fields(object: object)
        switch object["type"] as? String {
        case "spike_started":
            let kinds = (object["top_kinds"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            let posts = (object["top_posts"] as? [[String: Any]] ?? []).compactMap { $0["post_id"] as? String }
            return (
                .sentence,
                lead(fields.int("onset"), creator)
                    + String(
                        format:
                            "SPIKE: %.0f users vs %.1f expected, score %.0f vs %.1f (severity %.1f); kinds %@; posts %@",
                        fields.number("observed_users"), fields.number("expected_users"),
                        fields.number("observed_score"), fields.number("expected_score"), fields.number("severity"),
                        kinds.joined(separator: ", "), posts.prefix(2).joined(separator: ", "))
            )
        case "spike_ended":
            return (
                .sentence,
                lead(fields.int("end"), creator)
                    + String(
                        format:
                            "spike ended after %d min: peak %.0f users a window, %.0f users and %.0f score above baseline",
                        fields.int("duration_ms") / 60_000, fields.number("peak_users"),
                        fields.number("excess_users"), fields.number("excess_score"))
            )
        case "follower_drift":
            return (
                .sentence,
                lead(fields.int("onset"), creator)
                    + String(
                        format: "DRIFT: dormant share %@ → %@ (confidence %.2f), detected %@",
                        fields.percent("share_before"), fields.percent("share_after"),
                        fields.number("confidence"), time(fields.int("detected_at")))
            )
        case "follower_health":
            return (
                .health,
                TextColumns.line([
                    (time(fields.int("as_of")), -19), (creator, -12), (String(fields.int("followers")), 9),
                    (fields.signed("followers_change"), 7), (String(fields.int("engaged_followers_7d")), 7),
                    (String(fields.int("engaged_followers_30d")), 7), (fields.percent("engaged_share_30d"), 6),
                    (fields.percent("dormant_share"), 7), (fields.points("dormant_share_change"), 7),
                    (String(fields.int("unmatched_unfollows")), 9),
                ])
            )
        default:
            guard object["window_start"] != nil else {
                return (.sentence, "\(topic): \(String(decoding: value, as: UTF8.self))")
            }
            return (
                .aggregate,
                TextColumns.line([
                    (time(fields.int("window_start")), -19), (creator, -12), (String(fields.int("engaged_users")), 7),
                    (String(fields.int("reach")), 6), (String(fields.int("like")), 6),
                    (String(fields.int("comment") + fields.int("reply")), 6), (String(fields.int("share")), 6),
                    (String(fields.int("view")), 6), (String(format: "%.1f", fields.number("score")), 8),
                    (String(fields.int("followers")), 9), (fields.percent("engagement_rate"), 6),
                    (fields.percent("engaged_follower_share"), 6),
                ])
            )
        }
    }

    /// Typed reads of one decoded record; absent or null fields read as 0 or "-".
    private struct Fields {
        let object: [String: Any]

        func int(_ key: String) -> Int { object[key] as? Int ?? 0 }
        func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? 0 }
        func percent(_ key: String) -> String {
            (object[key] as? NSNumber).map { String(format: "%.1f%%", $0.doubleValue * 100) } ?? "-"
        }
        /// A change with its sign, "-" when there is nothing to compare with.
        func signed(_ key: String) -> String { (object[key] as? Int).map { String(format: "%+d", $0) } ?? "-" }
        /// A change of a share in percentage points.
        func points(_ key: String) -> String {
            (object[key] as? NSNumber).map { String(format: "%+.1fpt", $0.doubleValue * 100) } ?? "-"
        }
    }

    /// The time and creator columns that start every row, then a space.
    private static func lead(_ milliseconds: Int, _ creator: String) -> String {
        TextColumns.line([(time(milliseconds), -19), (creator, -12), ("", 0)])
    }

    private static func time(_ milliseconds: Int) -> String {
        let text = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            .formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon))
        return String(text.prefix(19))
    }
}
