/// A strict reader of the Prometheus text exposition format (0.0.4), enough to check what a worker serves:
/// `# HELP` / `# TYPE` comments and `name{label="value",…} number` samples.
public struct PrometheusText: Sendable {
    /// One sample line.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// Every sample, in the order served.
    public private(set) var samples: [Sample] = []
    /// The declared type of each metric family (`counter`, `gauge`, `histogram`, …).
    public private(set) var types: [String: String] = [:]

    /// Parses `text`.
    /// - Throws: `Malformed` naming the first line that is not valid exposition format.
    public init(_ text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3)
                if parts.count >= 4, parts[1] == "TYPE" { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard let sample = Self.sample(line) else { throw Malformed(line: number + 1, text: String(line)) }
            samples.append(sample)
        }
    }

    /// The sum of every sample named `name` whose labels include `matching`.
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    /// A line that is not valid exposition format.
    public struct Malformed: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "line \(line) is not Prometheus text: \(text)" }
    }

    private static func sample(_ line: Substring) -> Sample? {
        let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
        let name = line[..<nameEnd]
        guard let first = name.first, first.isLetter || first == "_" || first == ":",
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        else { return nil }
        var rest = line[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            guard let close = rest.lastIndex(of: "}") else { return nil }
            for pair in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                guard let equals = pair.firstIndex(of: "="), pair[pair.index(after: equals)...].first == "\"",
                    pair.last == "\""
                else { return nil }
                labels[String(pair[..<equals])] = String(pair[pair.index(equals, offsetBy: 2)..<pair.index(before: pair.endIndex)])
            }
            rest = rest[rest.index(after: close)...]
        }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count), let value = Double(fields[0]) ?? (fields[0] == "+Inf" ? .infinity : nil) else {
            return nil
        }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
