#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One channel of the spike detector: a seasonal baseline of a count series and the burst test against it.
///
/// The baseline is a level times a daily profile (one multiplicative factor per slot of the UTC day), both learned
/// by exponential smoothing from clipped observations. The burst test sums the last `burstWindows` observations and
/// their expectations and scores the excess in standard deviations of a negative-binomial count:
/// `z = (O − E) / √(E + dispersion·E²)`.
struct BurstBaseline: Sendable, Equatable {
    var level: Double
    var profile: [Double]
    var observed: [Double]
    var expected: [Double]
    var cursor = 0
    var windowsLearned = 0
    var observedSum = 0.0
    var expectedSum = 0.0

    /// A baseline at `level`, as if `learned` windows had already taught it that (they weigh in the running mean).
    init(settings: SpikeSettings, level: Double, learned: Int = 0) {
        self.level = level
        windowsLearned = learned
        profile = Array(repeating: 1, count: max(settings.dailySlots, 1))
        observed = Array(repeating: 0, count: max(settings.burstWindows, 1))
        expected = Array(repeating: 0, count: max(settings.burstWindows, 1))
    }

    /// The expected value of a window in `slot`.
    func expectation(slot: Int) -> Double { level * profile[slot] }

    /// Adds a window's value and returns its expectation (from the baseline before the update).
    mutating func add(_ value: Double, slot: Int, slotShare: Double, settings: SpikeSettings) -> Double {
        let expectation = level * profile[slot]
        observedSum += value - observed[cursor]
        expectedSum += expectation - expected[cursor]
        observed[cursor] = value
        expected[cursor] = expectation
        cursor += 1
        if cursor == observed.count {
            cursor = 0
            observedSum = observed.reduce(0, +)
            expectedSum = expected.reduce(0, +)
        }
        let floored = expectation + settings.expectationFloor
        let cap = floored + settings.clip * (floored + settings.dispersion * floored * floored).squareRoot()
        let clipped = min(value, cap)
        // The level starts as the plain mean of what was seen and settles into the slow exponential average.
        windowsLearned += 1
        level += max(settings.baselineRate, 1 / Double(windowsLearned)) * (clipped / profile[slot] - level)
        if level > 0 {
            profile[slot] += settings.dailyProfileRate * slotShare * (clipped / level - profile[slot])
        }
        return expectation
    }

    /// Skips `windows` silent windows at once: the level decays as it would under that many zeros (the profile
    /// keeps its shape). The caller then feeds the last `burstWindows` zeros one by one.
    mutating func skip(windows: Int, settings: SpikeSettings) {
        level *= pow(1 - settings.baselineRate, Double(windows))
    }

    /// Whether a window's value is more than one standard deviation above its expectation.
    static func isElevated(_ value: Double, expectation: Double, settings: SpikeSettings) -> Bool {
        let floored = expectation + settings.expectationFloor
        return value > floored + (floored + settings.dispersion * floored * floored).squareRoot()
    }

    /// How many of the most recent windows, counting back from the newest, are elevated without a break.
    func trailingElevatedWindows(settings: SpikeSettings) -> Int {
        var count = 0
        while count < observed.count {
            let index = (cursor - 1 - count + observed.count) % observed.count
            guard Self.isElevated(observed[index], expectation: expected[index], settings: settings) else { break }
            count += 1
        }
        return count
    }

    /// The largest value and the summed excess over expectation of the `windows` most recent windows.
    func peakAndExcess(windows: Int) -> (peak: Double, excess: Double) {
        var peak = 0.0
        var excess = 0.0
        for back in 0..<min(windows, observed.count) {
            let index = (cursor - 1 - back + observed.count) % observed.count
            peak = max(peak, observed[index])
            excess += observed[index] - expected[index]
        }
        return (peak, excess)
    }

    /// The burst score of the `windows` most recent windows alone (at most `burstWindows`).
    func runScore(windows: Int, settings: SpikeSettings) -> Double {
        var observedRun = 0.0
        var expectedRun = 0.0
        let count = min(max(windows, 1), observed.count)
        for back in 0..<count {
            let index = (cursor - 1 - back + observed.count) % observed.count
            observedRun += observed[index]
            expectedRun += expected[index] + settings.expectationFloor
        }
        return (observedRun - expectedRun)
            / (expectedRun + settings.dispersion * expectedRun * expectedRun).squareRoot()
    }

    /// The burst of the last `burstWindows` windows.
    func reading(settings: SpikeSettings) -> BurstReading {
        BurstReading(observed: observedSum, expected: expectedSum, zScore: burstScore(settings: settings))
    }

    /// The burst score of the last `burstWindows` windows.
    func burstScore(settings: SpikeSettings) -> Double {
        let expectation = expectedSum + settings.expectationFloor * Double(observed.count)
        return (observedSum - expectation)
            / (expectation + settings.dispersion * expectation * expectation).squareRoot()
    }
}
