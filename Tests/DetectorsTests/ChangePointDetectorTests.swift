import Detectors
import Testing

@Suite("Change-point detector")
struct ChangePointDetectorTests {
    static func changes(_ values: [Double], settings: ChangePointSettings = ChangePointSettings()) -> [ChangePoint] {
        var detector = ChangePointDetector(settings: settings)
        return values.compactMap { detector.add($0) }
    }

    static func noise(_ count: Int, scale: Double, seed: UInt64 = 3) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) / Double(1 << 53) - 0.5) * 2 * scale
        }
    }

    @Test("an all-zero series has no change")
    func allZero() { #expect(Self.changes(Array(repeating: 0, count: 300)).isEmpty) }

    @Test("a single outlier is not a change (nor, with a known scale, a day of an odd share)")
    func singleOutlier() {
        var values = Self.noise(300, scale: 1).map { $0 + 10 }
        values[150] = 40
        #expect(Self.changes(values).isEmpty)
    }

    @Test("a level shift is found where it happened, with the levels before and after")
    func levelShift() {
        let values = Self.noise(120, scale: 1).map { $0 + 10 } + Self.noise(120, scale: 1, seed: 5).map { $0 + 16 }
        let found = Self.changes(values)
        #expect(found.count == 1)
        guard let change = found.first else { return }
        #expect(abs(change.index - 120) <= 2)
        #expect(change.detectedAt < 130)
        #expect(abs(change.before - 10) < 1 && abs(change.after - 16) < 1.5)
        #expect(change.confidence > 0.5)
    }

    @Test("a steady trend is not a change; a trend that starts is")
    func trends() {
        #expect(Self.changes((0..<300).map { Double($0) * 0.5 } .enumerated().map { $1 + Self.noise(300, scale: 1)[$0] }).isEmpty)
        var settings = ChangePointSettings()
        settings.scale = 0.01
        let share = Array(repeating: 0.0, count: 40) + (0..<60).map { Double($0) * 0.01 }
        let found = Self.changes(share, settings: settings)
        #expect(found.first.map { abs($0.index - 40) <= 2 && $0.detectedAt <= 46 } == true)
    }

    @Test("a fixed scale keeps a flat start from making the detector deaf or jumpy")
    func fixedScale() {
        var settings = ChangePointSettings()
        settings.scale = 0.01
        #expect(Self.changes(Array(repeating: 0.2, count: 200) + Self.noise(200, scale: 0.003).map { $0 + 0.2 }, settings: settings).isEmpty)
    }
}
