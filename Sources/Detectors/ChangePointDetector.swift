#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Online change-point detection on one series (Bayesian online change-point detection, Adams & MacKay 2007): a
/// posterior over the run length (points since the last change), each run modelled as a line with unknown level,
/// slope and noise under a normal-inverse-gamma prior, so slow trends are not mistaken for changes. A change is
/// reported when the most probable run length collapses; its position is dated back to where the new run began.
/// Pure and deterministic; the first `calibrationPoints` values set the scale and are replayed once it is known.
public struct ChangePointDetector: Sendable, Equatable {
    /// The settings.
    public let settings: ChangePointSettings
    /// Points fed so far.
    public internal(set) var count = 0
    var calibration: [Double] = []
    var priorLevel = 0.0
    var priorNoise = 1.0
    var noiseFloor = 0.0
    var scale = 1.0
    /// Log posterior of each run length (index = points in the run) and the run's sums Σy, Σ τ·y, Σy².
    var logRun: [Double] = []
    var sumY: [Double] = []
    var sumTY: [Double] = []
    var sumYY: [Double] = []
    var recent: [Double] = []
    var previousMode = 0
    var lastChange = 0

    /// Creates a detector.
    public init(settings: ChangePointSettings = ChangePointSettings()) {
        self.settings = settings
    }

    /// Feeds the next point; returns the change it revealed, if any.
    public mutating func add(_ value: Double) -> ChangePoint? {
        guard value.isFinite else { return nil }
        let calibrating = max(settings.calibrationPoints, 2)
        if logRun.isEmpty {
            calibration.append(value)
            guard calibration.count >= calibrating else { return nil }
            calibrate()
            let buffered = calibration
            calibration = []
            var found: ChangePoint?
            for point in buffered { found = step(point) ?? found }
            return found
        }
        return step(value)
    }

    private mutating func calibrate() {
        if let scale = settings.scale, scale > 0 {
            setPrior(level: calibration[0], scale: scale)
            return
        }
        var differences = zip(calibration, calibration.dropFirst()).map { abs($1 - $0) }.sorted()
        var scale = differences.isEmpty ? 0 : Self.median(differences)
        if scale <= 0 {
            differences.removeAll { $0 == 0 }
            scale = differences.isEmpty ? 0 : differences.reduce(0, +) / Double(calibration.count - 1)
        }
        if scale <= 0 { scale = abs(calibration[0]) * 0.01 }
        if scale <= 0 { scale = 1 }
        setPrior(level: calibration[0], scale: scale)
    }

    private mutating func setPrior(level: Double, scale: Double) {
        self.scale = scale
        noiseFloor = settings.scale.map { $0 * $0 * settings.noiseFloor } ?? 0
        priorLevel = level
        priorNoise = settings.priorScale * scale * scale
        logRun = [0]
        sumY = [0]
        sumTY = [0]
        sumYY = [0]
    }

    private static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private mutating func step(_ value: Double) -> ChangePoint? {
        let time = count
        count += 1
        remember(value)
        let logHazard = log(settings.hazard)
        let logSurvival = log1p(-settings.hazard)
        var changeMass = -Double.infinity
        var grown = [Double](repeating: 0, count: logRun.count + 1)
        let clip = settings.learningClip
        for run in logRun.indices {
            let (density, mean, deviation) = predictive(value, run: run)
            let predictive = logRun[run] + density
            changeMass = Self.logAdd(changeMass, predictive + logHazard)
            grown[run + 1] = predictive + logSurvival
            // A run that already holds points learns from the value clipped to its own plausible range, so one
            // outlier does not inflate its noise; the empty run takes the value as it is (it may be a new level).
            let learned =
                run > 0 && clip > 0 ? min(max(value, mean - clip * deviation), mean + clip * deviation) : value
            sumY[run] += learned
            sumTY[run] += Double(run) * learned
            sumYY[run] += learned * learned
        }
        grown[0] = changeMass
        sumY.insert(0, at: 0)
        sumTY.insert(0, at: 0)
        sumYY.insert(0, at: 0)
        if grown.count > settings.maxRunLength {
            grown.removeLast(grown.count - settings.maxRunLength)
            sumY.removeLast(sumY.count - settings.maxRunLength)
            sumTY.removeLast(sumTY.count - settings.maxRunLength)
            sumYY.removeLast(sumYY.count - settings.maxRunLength)
        }
        let total = grown.reduce(-Double.infinity, Self.logAdd)
        for run in grown.indices { grown[run] -= total }
        logRun = grown
        let mode = grown.indices.max { grown[$0] < grown[$1] } ?? 0
        // A run shorter than `minimumRun` may be one outlier: it neither reports nor resets the comparison.
        guard mode >= settings.minimumRun else { return nil }
        defer { previousMode = mode }
        guard time >= max(settings.calibrationPoints, 2), mode < previousMode - settings.minimumDrop else { return nil }
        let index = time + 1 - mode
        guard index - lastChange > settings.minimumDrop, index > 0 else { return nil }
        let before = medianOfRecent(from: mode + settings.minimumDrop, to: mode)
        let after = medianOfRecent(from: mode, to: 0)
        guard abs(after - before) >= settings.minimumShift * scale else { return nil }
        lastChange = index
        return ChangePoint(
            index: index, detectedAt: time, before: before, after: after,
            confidence: grown[0...min(mode + 2, grown.count - 1)].reduce(0) { $0 + exp($1) })
    }

    /// Log density of `value` under the Student-t predictive of the run holding `run` points, with the predictive's
    /// mean and scale.
    private func predictive(_ value: Double, run: Int) -> (logDensity: Double, mean: Double, deviation: Double) {
        let n = Double(run)
        let sumT = n * (n - 1) / 2
        let sumTT = (n - 1) * n * (2 * n - 1) / 6
        let a11 = settings.levelPrecision + n
        let a12 = sumT
        let a22 = settings.slopePrecision + sumTT
        let r1 = settings.levelPrecision * priorLevel + sumY[run]
        let r2 = sumTY[run]
        let determinant = a11 * a22 - a12 * a12
        let level = (a22 * r1 - a12 * r2) / determinant
        let slope = (a11 * r2 - a12 * r1) / determinant
        let shape = settings.priorShape + n / 2
        let tails = min(shape, settings.tailShape)
        let residual = sumYY[run] + settings.levelPrecision * priorLevel * priorLevel - (level * r1 + slope * r2)
        let rate = max(priorNoise + residual / 2, 1e-12 * priorNoise)
        let leverage = (a22 - 2 * a12 * n + a11 * n * n) / determinant
        let variance = max(rate / shape * (1 + leverage), noiseFloor)
        let freedom = 2 * tails
        let mean = level + slope * n
        let z = (value - mean) * (value - mean) / (variance * freedom)
        let density =
            lgamma((freedom + 1) / 2) - lgamma(freedom / 2) - 0.5 * log(freedom * Double.pi * variance)
            - (freedom + 1) / 2 * log1p(z)
        return (density, mean, variance.squareRoot())
    }

    private mutating func remember(_ value: Double) {
        recent.append(value)
        if recent.count > 2 * settings.maxRunLength { recent.removeFirst(recent.count - settings.maxRunLength) }
    }

    /// Median of the values fed between `from` and `to` points ago (exclusive of `to`).
    private func medianOfRecent(from: Int, to: Int) -> Double {
        let upper = recent.count - to
        let lower = max(recent.count - from, 0)
        guard upper > lower else { return recent.last ?? 0 }
        return Self.median(recent[lower..<upper].sorted())
    }

    private static func logAdd(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return max(a, b) + log1p(exp(-abs(a - b)))
    }
}
