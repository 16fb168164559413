/// Converts lines of public interaction datasets into Resonance events (JSON), so real streams can be replayed.
///
/// - `higgs`: SNAP Higgs Twitter activity, `userA userB unix_seconds RT|MT|RE`: `userB` is the creator, `userA` the
///   user; RT → share, MT → mention, RE → reply.
/// - `collegemsg`: SNAP CollegeMsg, `src dst unix_seconds`: the whole community is one creator (`collegemsg`); a
///   member follows it with their first message, and every message they send is a comment.
public enum PublicDatasetFormat: String, Sendable, CaseIterable {
    case higgs
    case collegemsg

    /// The creator id of the CollegeMsg community.
    public static let community = "collegemsg"

    /// A converter with the state a format needs (CollegeMsg remembers who already follows).
    public struct Converter: Sendable {
        public let format: PublicDatasetFormat
        private var members = Set<Substring>()
        private var line = 0

        /// Creates a converter.
        public init(format: PublicDatasetFormat) { self.format = format }

        /// The events of one input line (none for a blank or malformed line), each with its key and event time.
        public mutating func convert(_ text: Substring) -> [TrafficRecord] {
            line += 1
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let seconds = Int64(fields[2]) else { return [] }
            let time = seconds * 1000
            switch format {
            case .higgs:
                guard fields.count >= 4 else { return [] }
                let kind = switch fields[3] {
                case "RT": "share"
                case "MT": "mention"
                case "RE": "reply"
                default: String(fields[3])
                }
                return [record(creator: "h\(fields[1])", user: "h\(fields[0])", kind: kind, time: time, suffix: "")]
            case .collegemsg:
                var records: [TrafficRecord] = []
                if members.insert(fields[0]).inserted {
                    records.append(record(creator: PublicDatasetFormat.community, user: "m\(fields[0])", kind: "follow", time: time, suffix: "f"))
                }
                records.append(record(creator: PublicDatasetFormat.community, user: "m\(fields[0])", kind: "comment", time: time, suffix: ""))
                return records
            }
        }

        private func record(creator: String, user: String, kind: String, time: Int64, suffix: String) -> TrafficRecord {
            let value = #"{"event_id":"\#(format.rawValue)-\#(line)\#(suffix)","ts":\#(time),"creator_id":"\#(creator)","user_id":"\#(user)","kind":"\#(kind)"}"#
            return TrafficRecord(key: creator, value: value, timestamp: time)
        }
    }
}
