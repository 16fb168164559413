import Detectors
import Foundation
import Pipeline
import Testing

@Suite("Evaluator inputs: what cannot be read is an error, never zero rows")
struct EvaluationInputTests {
    static let rows = [
        "2015-02-26 21:00:00,10", "2015-02-26 21:05:00,12", "2015-02-26 21:10:00,400", "2015-02-26 21:15:00,11",
    ]

    @Test("a NAB series reads the same with LF and CRLF line ends")
    func lineEnds() throws {
        var values = (0..<600).map {
            "2015-02-\(20 + $0 / 288) \(String(format: "%02d:%02d", $0 % 288 / 12, $0 % 12 * 5)):00,\($0 % 7 + 10)"
        }
        values[500] = values[500].replacingOccurrences(of: ",\(500 % 7 + 10)", with: ",5000")
        let lf = "timestamp,value\n" + values.joined(separator: "\n") + "\n"
        let crlf = "timestamp,value\r\n" + values.joined(separator: "\r\n") + "\r\n"
        var settings = SpikeSettings()
        settings.warmupWindows = 100
        let fromLF = try SpikeEvaluation.alerts(csv: lf, settings: settings)
        #expect(!fromLF.isEmpty)
        #expect(try SpikeEvaluation.alerts(csv: crlf, settings: settings) == fromLF)
    }

    @Test(
        "a series without data rows, with a bad timestamp or a non-numeric value names its line",
        arguments: [
            ("timestamp,value\n", 2, "no data rows"),
            ("timestamp,value\r\n\r\n", 3, "no data rows"),
            ("timestamp,value\n" + rows[0] + "\n2015-02-30 21:05:00,3\n", 3, "expected a timestamp"),
            ("timestamp,value\n" + rows[0] + "\n" + rows[1] + "\n2015-02-26 21:15:00,abc\n", 4, "expected a number"),
            ("timestamp,value\r\n" + rows[0] + "\r\n2015-02-26 21:20:00,nan\r\n", 3, "expected a number"),
            ("timestamp,value\n2015-02-26 21:00:00\n", 2, "expected timestamp,value"),
        ])
    func malformed(csv: String, line: Int, message: String) {
        #expect {
            _ = try SpikeEvaluation.alerts(csv: csv)
        } throws: { error in
            guard let error = error as? SpikeEvaluation.FormatError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test(
        "a TCPD dataset without values, or with a value that is not a number or null, is an error",
        arguments: [
            #"{"name":"x","series":[{"raw":[]}]}"#, #"{"name":"x","series":[{"raw":[null,null]}]}"#,
            #"{"name":"x","series":[{"raw":[1,true,2]}]}"#, #"{"name":"x","series":[{"raw":[1,"2"]}]}"#,
            #"{"name":"x","series":[]}"#, #"{"series":[{"raw":[1]}]}"#,
        ])
    func malformedDataset(json: String) {
        #expect(throws: ChangePointEvaluation.FormatError.self) {
            _ = try ChangePointEvaluation.dataset(json: Data(json.utf8))
        }
    }

    @Test("a TCPD dataset keeps missing values as gaps")
    func gaps() throws {
        let dataset = try ChangePointEvaluation.dataset(
            json: Data(#"{"name":"x","series":[{"raw":[1,null,2.5]}]}"#.utf8))
        #expect(dataset.name == "x" && dataset.values == [1, nil, 2.5])
    }
}
