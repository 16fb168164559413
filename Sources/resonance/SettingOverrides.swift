import ArgumentParser
import Detectors

/// `--set name=value` overrides of detector settings for `resonance eval`, so a tuning sweep can run any setting
/// without a rebuild. Names are the settings' Swift property names; every value is a number.
enum SettingOverrides {
    /// The spike detector's numeric settings by name.
    static var spikes: [String: WritableKeyPath<SpikeSettings, Double>] {
        [
            "threshold": \.threshold, "baselineRate": \.baselineRate, "dispersion": \.dispersion, "clip": \.clip,
            "expectationFloor": \.expectationFloor, "dailyProfileRate": \.dailyProfileRate,
            "jumpFactor": \.jumpFactor,
        ]
    }

    /// The spike detector's whole-number settings by name.
    static var spikeCounts: [String: WritableKeyPath<SpikeSettings, Int>] {
        [
            "burstWindows": \.burstWindows, "warmupWindows": \.warmupWindows, "cooldownWindows": \.cooldownWindows,
            "dailySlots": \.dailySlots, "quietWindowsToEnd": \.quietWindowsToEnd, "jumpWindows": \.jumpWindows,
        ]
    }

    /// The change-point detector's numeric settings by name.
    static var changePoints: [String: WritableKeyPath<ChangePointSettings, Double>] {
        [
            "hazard": \.hazard, "priorShape": \.priorShape, "priorScale": \.priorScale,
            "levelPrecision": \.levelPrecision, "slopePrecision": \.slopePrecision, "noiseFloor": \.noiseFloor,
            "tailShape": \.tailShape, "learningClip": \.learningClip, "minimumShift": \.minimumShift,
        ]
    }

    /// The change-point detector's whole-number settings by name.
    static var changePointCounts: [String: WritableKeyPath<ChangePointSettings, Int>] {
        [
            "minimumDrop": \.minimumDrop, "calibrationPoints": \.calibrationPoints, "minimumRun": \.minimumRun,
            "maxRunLength": \.maxRunLength,
        ]
    }

    /// `settings` with every `name=value` of `overrides` applied; an unknown name or a non-numeric value is a
    /// usage error listing the names there are.
    static func apply<Settings>(
        _ overrides: [String], to settings: Settings, numbers: [String: WritableKeyPath<Settings, Double>],
        counts: [String: WritableKeyPath<Settings, Int>]
    ) throws -> Settings {
        var result = settings
        for override in overrides {
            let parts = override.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--set expects name=value, got '\(override)'") }
            if let path = numbers[parts[0]], let value = Double(parts[1]), value.isFinite {
                result[keyPath: path] = value
            } else if let path = counts[parts[0]], let value = Int(parts[1]) {
                result[keyPath: path] = value
            } else {
                let names = (Array(numbers.keys) + Array(counts.keys)).sorted().joined(separator: ", ")
                throw ValidationError("--set \(override): expected one of \(names) with a number")
            }
        }
        return result
    }
}
