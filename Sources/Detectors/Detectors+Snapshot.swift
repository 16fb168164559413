import Engagement

extension BurstBaseline {
    func encode(into writer: inout SnapshotWriter) {
        writer.write(level)
        writer.write(profile)
        writer.write(observed)
        writer.write(expected)
        writer.write(UInt64(cursor))
        writer.write(observedSum)
        writer.write(expectedSum)
        writer.write(Int64(windowsLearned))
    }

    init(settings: SpikeSettings, from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init(settings: settings, level: try reader.readDouble())
        let restoredProfile = try reader.readDoubles()
        let restoredObserved = try reader.readDoubles(), restoredExpected = try reader.readDoubles()
        guard restoredProfile.count == profile.count, restoredObserved.count == observed.count,
              restoredExpected.count == expected.count
        else { throw .incompatible("spike baseline shaped for other settings") }
        profile = restoredProfile
        observed = restoredObserved
        expected = restoredExpected
        cursor = Int(try reader.read(UInt64.self))
        guard cursor < observed.count else { throw .incompatible("spike baseline cursor") }
        observedSum = try reader.readDouble()
        expectedSum = try reader.readDouble()
        windowsLearned = Int(try reader.read(Int64.self))
    }
}

extension SpikeDetector {
    /// Appends the detector's state (not its settings) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        writer.write(watchesScore)
        writer.write(audience != nil)
        audience?.encode(into: &writer)
        writer.write(score != nil)
        score?.encode(into: &writer)
        writer.write(lastWindow)
        writer.write(Int64(windowsSeen))
        writer.write(Int64(windowsSinceStart))
        writer.write(spike != nil)
        if let spike {
            writer.write(spike.onset)
            writer.write(spike.lastElevatedEnd)
            writer.write(Int64(spike.quietWindows))
            writer.write(spike.peakAudience)
            writer.write(spike.peakScore)
            writer.write(spike.excessAudience)
            writer.write(spike.excessScore)
        }
    }

    /// A detector with `settings` and `step` in the state `encode` wrote.
    public init(settings: SpikeSettings, step: Int64, from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init(settings: settings, step: step, watchesScore: try reader.readBool())
        audience = try reader.readBool() ? try BurstBaseline(settings: settings, from: &reader) : nil
        score = try reader.readBool() ? try BurstBaseline(settings: settings, from: &reader) : nil
        lastWindow = try reader.readOptional(Int64.self)
        windowsSeen = Int(try reader.read(Int64.self))
        windowsSinceStart = Int(try reader.read(Int64.self))
        if try reader.readBool() {
            spike = OpenSpike(
                onset: try reader.read(), lastElevatedEnd: try reader.read(), quietWindows: Int(try reader.read(Int64.self)),
                peakAudience: try reader.readDouble(), peakScore: try reader.readDouble(),
                excessAudience: try reader.readDouble(), excessScore: try reader.readDouble())
        }
    }
}

extension ChangePointDetector {
    /// Appends the detector's state (not its settings) to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        writer.write(Int64(count))
        writer.write(calibration)
        writer.write(priorLevel)
        writer.write(priorNoise)
        writer.write(noiseFloor)
        writer.write(scale)
        writer.write(logRun)
        writer.write(sumY)
        writer.write(sumTY)
        writer.write(sumYY)
        writer.write(recent)
        writer.write(Int64(previousMode))
        writer.write(Int64(lastChange))
    }

    /// A detector with `settings` in the state `encode` wrote.
    public init(settings: ChangePointSettings, from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init(settings: settings)
        count = Int(try reader.read(Int64.self))
        calibration = try reader.readDoubles()
        priorLevel = try reader.readDouble()
        priorNoise = try reader.readDouble()
        noiseFloor = try reader.readDouble()
        scale = try reader.readDouble()
        logRun = try reader.readDoubles()
        sumY = try reader.readDoubles()
        sumTY = try reader.readDoubles()
        sumYY = try reader.readDoubles()
        recent = try reader.readDoubles()
        previousMode = Int(try reader.read(Int64.self))
        lastChange = Int(try reader.read(Int64.self))
        guard sumY.count == logRun.count, sumTY.count == logRun.count, sumYY.count == logRun.count else {
            throw .incompatible("change-point run lengths")
        }
    }
}

extension HotPosts {
    /// Appends the sketch to `writer`.
    public func encode(into writer: inout SnapshotWriter) {
        writer.write(posts)
        writer.write(weights)
    }

    /// The sketch `encode` wrote.
    public init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        posts = try reader.readArray(UInt32.self)
        weights = try reader.readFloats()
        guard posts.count == weights.count, posts.count % Self.slots == 0 else { throw .incompatible("hot posts") }
    }
}
