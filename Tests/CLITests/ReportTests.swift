import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Counts the elements of an SVG document and remembers the attributes the checks need.
private final class SVGInspector: NSObject, XMLParserDelegate {
    var root: String?
    var rootAttributes: [String: String] = [:]
    var counts: [String: Int] = [:]
    var longestPolyline = 0
    var spikeRects = 0
    var texts: [String] = []
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil {
            root = name
            rootAttributes = attributes
        }
        counts[name, default: 0] += 1
        if name == "polyline" { longestPolyline = max(longestPolyline, attributes["points"]?.split(separator: " ").count ?? 0) }
        // Spike shading spans the plot height; the legend swatch of the same colour is small.
        if name == "rect", attributes["fill"] == "#e4572e", Double(attributes["height"] ?? "") ?? 0 > 100 { spikeRects += 1 }
        if name == "text" {
            inText = true
            texts.append("")
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }
}

@Suite("resonance report", .enabled(if: SharedData.available, SharedData.skipReason))
struct ReportTests {
    @Test("a replayed SNAP Higgs account renders as a valid, non-trivial SVG with its spikes shaded")
    func higgsAccountChart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let all = try SharedData.resonance(["produce", "--print", "--format", "higgs", "--file", SharedData.path("data/snap-higgs/higgs-activity_time.txt.gz")])
        let account = all.split(separator: "\n").filter { $0.contains(#""creator_id":"h88""#) }
        #expect(account.count > 10_000)
        let events = directory.appendingPathComponent("h88.jsonl")
        try (account.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let results = directory.appendingPathComponent("results.jsonl")
        try SharedData.resonance(["replay", events.path, "--pipeline", RealStreamTests.datasetsPipeline])
            .write(to: results, atomically: true, encoding: .utf8)

        let chart = directory.appendingPathComponent("h88.svg")
        let report = try ChildProcess(ResonanceBinary.url, ["report", "--creator", "h88", "--input", results.path, "--output", chart.path])
        #expect(report.waitForExit(timeout: .seconds(120)) == 0, "\(report.stderr)")
        let data = try Data(contentsOf: chart)
        #expect(data.count > 5_000)

        let inspector = SVGInspector()
        let parser = XMLParser(data: data)
        parser.delegate = inspector
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(inspector.root == "svg")
        #expect(Int(inspector.rootAttributes["width"] ?? "") ?? 0 >= 800)
        // The engagement line has a point pair per bucket of a week-long series.
        #expect(inspector.longestPolyline >= 200)
        let spikes = try #require(SharedData.number(after: "windows, ", in: report.stderr))
        #expect(spikes >= 1, "\(report.stderr)")
        #expect(inspector.spikeRects == Int(spikes))
        #expect(inspector.texts.contains("Engagement of h88"))
        #expect(inspector.texts.contains { $0.hasPrefix("2012-07-") }, "the time range in the subtitle")
        #expect(inspector.texts.contains("Jul 4"), "a tick on the day of the burst")
        #expect((inspector.counts["text"] ?? 0) >= 15)
    }

    @Test("report: an unknown creator is exit 1, a non-SVG output is a usage error")
    func reportErrors() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).jsonl")
        try #"{"creator_id":"a","window_start":0,"window_end":60000,"score":1,"distinct_users":1}"#.write(to: file, atomically: true, encoding: .utf8)
        let unknown = try CLITests.run(["report", "--creator", "b", "--input", file.path, "--output", file.path + ".svg"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no records of creator 'b'"))
        let png = try CLITests.run(["report", "--creator", "a", "--input", file.path, "--output", "chart.png"])
        #expect(png.status == 64 && png.stderr.contains(".svg"))
    }
}
