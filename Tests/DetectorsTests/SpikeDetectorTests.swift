import Detectors
import Glibc
import Testing

@Suite("Spike detector")
struct SpikeDetectorTests {
    static let step: Int64 = 300_000
    static let start: Int64 = 1_700_000_000_000 / 86_400_000 * 86_400_000

    /// Feeds `values` (audience = score = value) one window apart; returns the signals with the window index.
    static func run(_ values: [Double], settings: SpikeSettings = SpikeSettings(), silentHistory: Int = 0,
                    offset: Int = 0) -> [(index: Int, signal: SpikeSignal)] {
        var detector = SpikeDetector(settings: settings, step: step, silentHistory: silentHistory)
        var signals: [(Int, SpikeSignal)] = []
        for (index, value) in values.enumerated() {
            detector.observe(windowStart: start + Int64(index + offset) * step, audience: value, score: value) { signals.append((index, $0)) }
        }
        return signals
    }

    /// A seeded Poisson-ish series around `mean` with a daily cycle (288 windows a day).
    static func series(count: Int, mean: Double, seed: UInt64 = 7) -> [Double] {
        var state = seed
        return (0..<count).map { index in
            let phase = Double(index % 288) / 288 * 2 * Double.pi
            let rate = mean * (1 + 0.5 * sin(phase))
            // Poisson by inversion.
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let uniform = Double(state >> 11) / Double(1 << 53)
            var k = 0.0, p = exp(-rate), cumulative = p
            while uniform > cumulative && k < 10 * rate + 20 { k += 1; p *= rate / k; cumulative += p }
            return k
        }
    }

    @Test("an all-zero series never alerts")
    func allZero() {
        #expect(Self.run(Array(repeating: 0, count: 2000)).isEmpty)
    }

    @Test("steady counts with a daily cycle raise no alert over a week")
    func steadyCycle() {
        #expect(Self.run(Self.series(count: 7 * 288, mean: 20)).isEmpty)
    }

    @Test("a one-window blip is not a spike and does not poison the baseline; a burst that dwarfs hours of traffic is")
    func singleOutlier() {
        var values = Self.series(count: 1400, mean: 10)
        values[600] = 500  // 50× a window, but only twice the two hours it is compared with
        values[1000] = 5000
        let signals = Self.run(values)
        #expect(signals.count == 2)
        guard signals.count == 2, case .started(let start) = signals[0].signal, case .ended(let end) = signals[1].signal else { return }
        #expect(signals[0].index == 1000)
        #expect(start.onset == Self.start + 1000 * Self.step)
        #expect(start.audience.observed > 5 * start.audience.expected)
        #expect(end.onset == start.onset && end.end == start.onset + Self.step)
        #expect(end.peakAudience == 5000)
        // After the blip the baseline still expects about 10 a window: a sustained burst is caught at once.
        values[1000] = 10
        for index in 700..<706 { values[index] = 200 }
        #expect(Self.run(values).first.map { (700..<704).contains($0.index) } == true)
    }

    @Test("a lasting level shift alerts once, then becomes the new normal")
    func levelShift() {
        let values = Self.series(count: 600, mean: 10) + Self.series(count: 3000, mean: 60, seed: 9)
        let starts = Self.run(values).compactMap { entry -> Int? in if case .started = entry.signal { entry.index } else { nil } }
        #expect(starts.count >= 1 && starts.count <= 2)
        #expect(starts.first.map { (600..<624).contains($0) } == true)
        #expect(starts.allSatisfy { $0 < 1600 })
    }

    @Test("no alert during warm-up, however large the burst")
    func warmUp() {
        var values = Array(repeating: 3.0, count: 400)
        values[100] = 1000
        #expect(Self.run(values).allSatisfy { $0.index > 288 })
    }

    @Test("a creator that appears mid-stream: a burst out of known silence alerts at once; a newcomer without history does not")
    func appearsMidStream() {
        let burst = Self.run([0, 0, 40, 60, 50] + Array(repeating: 0, count: 50), silentHistory: 500)
        #expect(burst.first.map { $0.index == 2 || $0.index == 3 } == true)
        let steady = Self.run(Array(repeating: 2, count: 600))
        #expect(steady.isEmpty)
    }

    @Test("windows missing between observations count as silence")
    func gapsAreZeros() {
        var detector = SpikeDetector(step: Self.step)
        var signals: [SpikeSignal] = []
        for index in 0..<400 { detector.observe(windowStart: Self.start + Int64(index) * Self.step, audience: 20, score: 20) { signals.append($0) } }
        // A spike that then stops: the windows that never arrive end it.
        detector.observe(windowStart: Self.start + 400 * Self.step, audience: 5000, score: 5000) { signals.append($0) }
        detector.observe(windowStart: Self.start + 420 * Self.step, audience: 20, score: 20) { signals.append($0) }
        #expect(signals.count == 2)
        if case .ended(let end)? = signals.last { #expect(end.end == Self.start + 401 * Self.step) } else { Issue.record("no end") }
    }

    @Test("one superfan's score alone is not a community spike")
    func needsAudienceAndScore() {
        var detector = SpikeDetector(step: Self.step)
        var signals: [SpikeSignal] = []
        for index in 0..<600 {
            let score: Double = index == 500 ? 2000 : 20
            detector.observe(windowStart: Self.start + Int64(index) * Self.step, audience: 10, score: score) { signals.append($0) }
        }
        #expect(signals.isEmpty)
    }

    @Test("a gradual jump on both channels starts a spike on its second window; one channel alone waits for the burst sum")
    func corroboratedJump() {
        // A quiet creator (a user every few windows) whose audience jumps to 9, then 5, 12, 5, 16 — the shape of
        // the slower Higgs bursts: the 24-window burst sum needs several windows to pass the threshold.
        var values = Self.series(count: 600, mean: 0.3)
        let jump: [Double] = [9, 5, 12, 5, 16, 14, 18, 20]
        for (offset, value) in jump.enumerated() { values[500 + offset] = value }
        let both = Self.run(values)
        guard case .started(let start)? = both.first?.signal else {
            Issue.record("no spike")
            return
        }
        #expect(both.first?.index == 501)
        #expect(start.onset == Self.start + 500 * Self.step)
        #expect(start.severity > 1.5 * SpikeSettings().threshold)

        var single = SpikeDetector(step: Self.step, watchesScore: false)
        var first: Int?
        for (index, value) in values.enumerated() {
            single.observe(windowStart: Self.start + Int64(index) * Self.step, audience: value) { _ in first = first ?? index }
        }
        #expect(first != nil && first! > 501, "single channel: \(first.map(String.init) ?? "no alert")")
    }
}
