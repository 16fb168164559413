import Detectors
import Foundation

/// Streams the first series of a TCPD dataset (`../shared/data/tcpd/schema.json`) through the change-point detector,
/// as `resonance eval changepoints` does. Missing values (null) are skipped without shifting the indices reported.
public enum ChangePointEvaluation {
    /// A TCPD dataset's name and its first series.
    public struct Dataset: Sendable {
        public var name: String
        public var values: [Double?]
    }

    /// Why a dataset could not be read.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Reads a TCPD dataset from its JSON.
    public static func dataset(json: Data) throws(FormatError) -> Dataset {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw FormatError(message: "expected a JSON object")
        }
        guard let name = object["name"] as? String else { throw FormatError(message: "name: expected a string") }
        guard let series = object["series"] as? [[String: Any]], let first = series.first,
              let raw = first["raw"] as? [Any]
        else { throw FormatError(message: "series[0].raw: expected an array of numbers") }
        var values: [Double?] = []
        for (index, item) in raw.enumerated() {
            if item is NSNull {
                values.append(nil)
                continue
            }
            // JSONSerialization reads true/false as NSNumber too, of Objective-C type "c": only real numbers pass.
            guard let number = item as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite
            else { throw FormatError(message: "series[0].raw[\(index)]: expected a number or null") }
            values.append(number.doubleValue)
        }
        guard values.contains(where: { $0 != nil }) else { throw FormatError(message: "series[0].raw: no values") }
        return Dataset(name: name, values: values)
    }

    /// The 0-based indices of every change the detector reports on `values`, in order of detection.
    public static func changes(_ values: [Double?], settings: ChangePointSettings = ChangePointSettings()) -> [Int] {
        var detector = ChangePointDetector(settings: settings)
        var positions: [Int] = []
        var found: [Int] = []
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else { continue }
            positions.append(index)
            if let change = detector.add(value), change.index < positions.count { found.append(positions[change.index]) }
        }
        return found
    }
}
