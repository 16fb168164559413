import Yams

/// Walks a YAML node tree, reading typed values and collecting a diagnostic for every problem instead of stopping
/// at the first, each with the node's line and column and its YAML path.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [PipelineDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        diagnostics.append(PipelineDiagnostic(
            file: file, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, path: path, message: message))
    }

    /// The entries of a mapping; reports unknown keys (naming the allowed ones) and missing required keys.
    mutating func mapping(_ node: Node?, _ path: String, allowed: [String], required: [String] = []) -> [String: Node]? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            report(node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), got \(Self.describe(node))")
            return nil
        }
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                report(key, path, "expected a string key, got \(Self.describe(key))")
                continue
            }
            let child = Self.join(path, name)
            if !allowed.contains(name) {
                report(key, child, "unknown key; expected one of \(allowed.joined(separator: ", "))")
            } else if entries[name] != nil {
                report(key, child, "duplicate key")
            } else {
                entries[name] = value
            }
        }
        for name in required where entries[name] == nil {
            report(node, Self.join(path, name), "missing; it is required")
        }
        return entries
    }

    mutating func string(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        let plainNonText = node.scalar?.style == .plain && (node.int != nil || node.float != nil || node.bool != nil || node.null != nil)
        guard let scalar = node.scalar, !scalar.string.isEmpty, !plainNonText else {
            report(node, path, "expected a non-empty string, got \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let node else { return nil }
        guard let value = node.bool, node.scalar?.style == .plain else {
            report(node, path, "expected true or false, got \(Self.describe(node))")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node?, _ path: String, atLeast minimum: Double = 0, atMost maximum: Double = .infinity) -> Double? {
        guard let node else { return nil }
        guard node.scalar?.style == .plain, let value = node.float ?? node.int.map(Double.init), value >= minimum, value <= maximum else {
            let bound = maximum.isFinite ? "a number from \(minimum.formatted()) to \(maximum.formatted())" : "a number ≥ \(minimum.formatted())"
            report(node, path, "expected \(bound), got \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// A duration string (`500ms`, `30s`, `10m`, `2h`, `14d`), at least `minimum` and at most `maximum` milliseconds.
    mutating func duration(_ node: Node?, _ path: String, minimum: Int64 = 0, maximum: Int64 = .max, why: String = "") -> Int64? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = DurationText.milliseconds(text) else {
            let sign = node.scalar?.string.hasPrefix("-") == true ? "a non-negative duration" : "a duration"
            report(node, path, "expected \(sign) like 500ms, 30s, 10m, 2h or 14d, got \(Self.describe(node))")
            return nil
        }
        guard value >= minimum else {
            report(node, path, "expected a duration of at least \(DurationText.format(minimum)), got '\(text)'\(why)")
            return nil
        }
        guard value <= maximum else {
            report(node, path, "expected a duration of at most \(DurationText.format(maximum)), got '\(text)'\(why)")
            return nil
        }
        return value
    }

    /// One of the raw values of `T`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, _ path: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = T(rawValue: text) else {
            report(node, path, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \(Self.describe(node))")
            return nil
        }
        return value
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
