import Foundation
import Testing
import TestSupport

/// The shared data and scorers (`../shared/data`, `../shared/eval`), when present next to the repository.
enum SharedData {
    static let root = EndToEndTests.root.deletingLastPathComponent().appendingPathComponent("shared")
    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("data").path) }
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static func files(_ directory: String, suffix: String) throws -> [String] {
        let url = root.appendingPathComponent(directory)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(suffix) }.sorted()
            .map { url.appendingPathComponent($0).path }
    }

    /// Runs `resonance` and returns its stdout, expecting exit 0.
    static func resonance(_ arguments: [String], timeout: Duration = .seconds(600)) throws -> String {
        let child = try ChildProcess(ResonanceBinary.url, arguments)
        let status = child.waitForExit(timeout: timeout)
        #expect(status == 0, "resonance \(arguments.prefix(2).joined(separator: " ")): \(child.stderr.suffix(400))")
        return child.stdout
    }

    /// Runs a scorer from `../shared/eval` on `detections` and returns its report.
    static func score(_ scorer: String, detections: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("detections-\(UUID().uuidString).csv")
        try detections.write(to: file, atomically: true, encoding: .utf8)
        let python = try #require(which("python3"), "python3 runs the shared scorers")
        let child = try ChildProcess(python, [path("eval/\(scorer)"), "--detections", file.path])
        #expect(child.waitForExit(timeout: .seconds(120)) == 0, "\(child.stderr)")
        return child.stdout
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" })
    }

    static let skipReason: Comment = "../shared/data is absent: the detector evaluations need the shared datasets"
}

@Suite("Detectors scored on the shared data", .enabled(if: SharedData.available, SharedData.skipReason))
struct DetectorEvaluationTests {
    @Test("resonance eval spikes on NAB realTweets: standard score ≥ 80 with the default settings")
    func nabSpikes() throws {
        let alerts = try SharedData.resonance(["eval", "spikes"] + SharedData.files("data/nab/realTweets", suffix: ".csv"))
        #expect(alerts.hasPrefix("series,timestamp,score\n"))
        let report = try SharedData.score("nab_eval.py", detections: alerts)
        print(report)
        let standard = try #require(SharedData.number(after: "standard ", in: report))
        #expect(standard >= 80)
    }

    @Test("resonance eval changepoints on TCPD: F1 ≥ 0.78 and cover ≥ 0.68, online, with the default settings")
    func tcpdChangePoints() throws {
        let datasets = try FileManager.default.contentsOfDirectory(atPath: SharedData.path("data/tcpd/datasets")).sorted()
            .map { SharedData.path("data/tcpd/datasets/\($0)/\($0).json") }
        let changes = try SharedData.resonance(["eval", "changepoints"] + datasets)
        #expect(changes.hasPrefix("dataset,index\n"))
        let report = try SharedData.score("tcpd_eval.py", detections: changes)
        print(report)
        #expect(try #require(SharedData.number(after: "mean F1 ", in: report)) >= 0.78)
        #expect(try #require(SharedData.number(after: "mean cover ", in: report)) >= 0.68)
    }
}

@Suite("Real interaction streams", .enabled(if: SharedData.available, SharedData.skipReason))
struct RealStreamTests {
    static let minute: Int64 = 60_000
    static let datasetsPipeline = EndToEndTests.root.appendingPathComponent("Pipelines/datasets.yaml").path

    static func records(_ output: String, type: String) -> [[String: Any]] {
        output.split(separator: "\n").filter { $0.contains(#""type":"\#(type)""#) }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static func int(_ record: [String: Any], _ key: String) -> Int64 { (record[key] as? NSNumber)?.int64Value ?? -1 }

    @Test("SNAP CollegeMsg: the dormant share rises and follower_drift fires within 7 days of the rise starting")
    func collegeMessages() throws {
        let events = try SharedData.resonance(["produce", "--print", "--format", "collegemsg", "--file", SharedData.path("data/snap-collegemsg/CollegeMsg.txt")])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("collegemsg-\(UUID().uuidString).jsonl")
        try events.write(to: file, atomically: true, encoding: .utf8)
        let output = try SharedData.resonance(["replay", file.path, "--pipeline", Self.datasetsPipeline])
        let health = Self.records(output, type: "follower_health")
        let shares = health.map { ($0["as_of"] as? NSNumber)?.int64Value ?? 0 }.indices.map { health[$0]["dormant_share"] as? Double ?? 0 }
        #expect(health.count > 180)
        // The rise starts with the first report that has any dormant member; by the end most members are dormant.
        let riseIndex = try #require(shares.firstIndex { $0 > 0 })
        let riseStart = Self.int(health[riseIndex], "as_of")
        #expect(shares.last.map { $0 > 0.8 } == true)
        #expect(shares[riseIndex + 60] > shares[riseIndex] + 0.3)
        let drifts = Self.records(output, type: "follower_drift")
        let first = try #require(drifts.first)
        print("dormant share rises from \(Date(timeIntervalSince1970: Double(riseStart) / 1000)); first drift: \(first)")
        #expect((first["share_after"] as? Double ?? 0) > (first["share_before"] as? Double ?? 1))
        #expect(Self.int(first, "detected_at") - riseStart <= 7 * 86_400_000)
        #expect(Self.int(first, "onset") >= riseStart)
    }

    @Test("SNAP Higgs: the 4 July 2012 burst is flagged for the five most-engaged accounts within one window of its onset")
    func higgsBurst() throws {
        let all = try SharedData.resonance(["produce", "--print", "--format", "higgs", "--file", SharedData.path("data/snap-higgs/higgs-activity_time.txt.gz")])
        let july4: Int64 = 1_341_360_000_000
        // Events up to 08:00 on 4 July hold every onset: replay those only (the rest of the week adds minutes).
        struct Event { var creator: Substring; var time: Int64 }
        let lines = all.split(separator: "\n")
        let parsed = lines.map { line -> Event in
            let creator = line.split(separator: "\"")[9]
            let time = Int64(line.split(separator: ",")[1].dropFirst(5)) ?? 0
            return Event(creator: creator, time: time)
        }
        let cut = parsed.firstIndex { $0.time >= july4 + 8 * 3_600_000 } ?? parsed.count
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("higgs-\(UUID().uuidString).jsonl")
        try (lines[..<cut].joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let output = try SharedData.resonance(["replay", file.path, "--pipeline", Self.datasetsPipeline])
        let spikes = Self.records(output, type: "spike_started")

        var totals: [Substring: Int] = [:]
        for event in parsed { totals[event.creator, default: 0] += 1 }
        let top = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map(\.key)
        var delays: [Int64] = []
        for account in top {
            // The burst onset, from the raw events: the first minute of 4 July with at least 5 events and ten times
            // the account's mean per minute over the 24 hours before.
            let times = parsed.filter { $0.creator == account }.map(\.time)
            let prior = Double(times.filter { $0 >= july4 - 86_400_000 && $0 < july4 }.count) / 1440
            var perMinute: [Int64: Int] = [:]
            for time in times where time >= july4 && time < july4 + 86_400_000 { perMinute[(time - july4) / Self.minute, default: 0] += 1 }
            let onsetMinute = try #require((0..<1440).first { Double(perMinute[Int64($0)] ?? 0) >= max(5, 10 * prior) })
            let onset = july4 + Int64(onsetMinute) * Self.minute
            let alert = spikes.first { $0["creator_id"] as? String == String(account) && abs(Self.int($0, "onset") - onset) <= 2 * Self.minute }
            #expect(alert != nil, "no spike_started near \(account)'s onset at minute \(onsetMinute) of 4 July")
            guard let alert else { continue }
            let delay = Self.int(alert, "window_start") - onset
            delays.append(delay / Self.minute)
            #expect(delay <= Self.minute, "\(account): detected \(delay / Self.minute) windows after the onset")
        }
        print("Higgs top accounts \(top): detection delay in 60 s windows \(delays)")
    }
}
