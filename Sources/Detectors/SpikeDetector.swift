/// The community-spike detector for one creator (or one creator's community tag): fed the closed, non-overlapping
/// windows of its engagement series in order, it raises `started` when a burst stands far above the creator's own
/// seasonal baseline and `ended` when the series has calmed down. Pure: time comes from the windows.
///
/// It watches the window audience (distinct engaged users) and, optionally, the engagement score; a spike needs
/// both to burst (more people and more engagement), so one superfan cannot raise it. Windows missing between two
/// observations count as silent (zero). See `SpikeSettings` for the model.
public struct SpikeDetector: Sendable, Equatable {
    /// The settings.
    public let settings: SpikeSettings
    /// The window step, milliseconds.
    public let step: Int64
    var audience: BurstBaseline?
    var score: BurstBaseline?
    let watchesScore: Bool
    var lastWindow: Int64?
    var windowsSeen: Int
    var windowsSinceStart = Int.max / 2
    var spike: OpenSpike?

    struct OpenSpike: Sendable, Equatable {
        var onset: Int64
        var lastElevatedEnd: Int64
        var quietWindows = 0
        var peakAudience: Double
        var peakScore: Double
        var excessAudience: Double
        var excessScore: Double
    }

    /// Creates a detector for windows `step` milliseconds apart. `watchesScore` adds the score channel;
    /// `silentHistory` is how many windows the stream is already known to have been silent for this key (a creator
    /// that appears mid-stream after the job watched it for a day has a baseline of zero, not none).
    public init(settings: SpikeSettings = SpikeSettings(), step: Int64, watchesScore: Bool = true, silentHistory: Int = 0) {
        self.settings = settings
        self.step = max(step, 1)
        self.watchesScore = watchesScore
        windowsSeen = max(silentHistory, 0)
        if silentHistory > 0 {
            audience = BurstBaseline(settings: settings, level: 0, learned: silentHistory)
            if watchesScore { score = BurstBaseline(settings: settings, level: 0, learned: silentHistory) }
        }
    }

    /// Whether a spike is open.
    public var isInSpike: Bool { spike != nil }

    /// Feeds the window starting at `windowStart` (later than every window fed before; earlier ones are ignored).
    public mutating func observe(
        windowStart: Int64, audience value: Double, score scoreValue: Double = 0, emit: (SpikeSignal) -> Void
    ) {
        if let last = lastWindow {
            guard windowStart > last else { return }
            fillSilence(windows: Int((windowStart - last) / step) - 1, after: last, emit: emit)
        }
        if audience == nil {
            audience = BurstBaseline(settings: settings, level: value)
            if watchesScore { score = BurstBaseline(settings: settings, level: scoreValue) }
        }
        add(windowStart: windowStart, audience: value, score: scoreValue, emit: emit)
    }

    /// Feeds `windows` silent windows after `last`: all of them up to a few bursts' worth, and the baseline decay of
    /// the rest at once.
    private mutating func fillSilence(windows: Int, after last: Int64, emit: (SpikeSignal) -> Void) {
        guard windows > 0 else { return }
        let exact = min(windows, 4 * settings.burstWindows)
        let skipped = windows - exact
        if skipped > 0 {
            audience?.skip(windows: skipped, settings: settings)
            score?.skip(windows: skipped, settings: settings)
            windowsSeen += skipped
            windowsSinceStart += skipped
        }
        var start = last + Int64(skipped) * step
        for _ in 0..<exact {
            start += step
            add(windowStart: start, audience: 0, score: 0, emit: emit)
        }
    }

    private mutating func add(windowStart: Int64, audience value: Double, score scoreValue: Double, emit: (SpikeSignal) -> Void) {
        lastWindow = windowStart
        let slotLength = max(86_400_000 / Int64(max(settings.dailySlots, 1)), 1)
        let dayOffset = ((windowStart % 86_400_000) + 86_400_000) % 86_400_000
        let slot = Int(dayOffset / slotLength)
        let share = min(Double(step) / Double(slotLength), 1)
        guard let audienceExpectation = audience?.add(value, slot: slot, slotShare: share, settings: settings) else { return }
        let scoreExpectation = score?.add(scoreValue, slot: slot, slotShare: share, settings: settings) ?? 0
        windowsSeen += 1
        windowsSinceStart += 1
        if var open = spike {
            open.peakAudience = max(open.peakAudience, value)
            open.peakScore = max(open.peakScore, scoreValue)
            open.excessAudience += value - audienceExpectation
            open.excessScore += scoreValue - scoreExpectation
            if BurstBaseline.isElevated(value, expectation: audienceExpectation, settings: settings) {
                open.lastElevatedEnd = windowStart + step
                open.quietWindows = 0
                spike = open
            } else if open.quietWindows + 1 >= settings.quietWindowsToEnd {
                spike = nil
                emit(.ended(SpikeEnd(
                    onset: open.onset, end: open.lastElevatedEnd, peakAudience: open.peakAudience,
                    peakScore: open.peakScore, excessAudience: open.excessAudience, excessScore: open.excessScore)))
            } else {
                open.quietWindows += 1
                spike = open
            }
            return
        }
        guard windowsSeen > settings.warmupWindows, windowsSinceStart >= settings.cooldownWindows,
              let audience
        else { return }
        let audienceReading = audience.reading(settings: settings)
        let scoreReading = score?.reading(settings: settings)
        let elevated = max(audience.trailingElevatedWindows(settings: settings), 1)
        var severity = min(audienceReading.zScore, scoreReading?.zScore ?? .infinity)
        if severity <= settings.threshold, let score {
            guard elevated >= 2 else { return }
            let run = min(elevated, settings.jumpWindows)
            let jump = min(audience.runScore(windows: run, settings: settings), score.runScore(windows: run, settings: settings))
            guard jump > settings.jumpFactor * settings.threshold else { return }
            severity = jump
        }
        guard severity > settings.threshold else { return }
        let onset = windowStart - Int64(elevated - 1) * step
        let audienceBurst = audience.peakAndExcess(windows: elevated)
        let scoreBurst = score?.peakAndExcess(windows: elevated) ?? (peak: 0, excess: 0)
        windowsSinceStart = 0
        spike = OpenSpike(
            onset: onset, lastElevatedEnd: windowStart + step, peakAudience: audienceBurst.peak,
            peakScore: scoreBurst.peak, excessAudience: audienceBurst.excess, excessScore: scoreBurst.excess)
        emit(.started(SpikeStart(
            onset: onset, detectedAt: windowStart, audience: audienceReading, score: scoreReading, severity: severity)))
    }
}
