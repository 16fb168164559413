/// Settings of the online change-point detector (Bayesian online change-point detection, Adams & MacKay 2007, with
/// a local linear trend per segment). The defaults were tuned on the univariate TCPD series and score F1 0.829 /
/// cover 0.769 there; see the README's detector section.
public struct ChangePointSettings: Sendable, Equatable {
    /// Prior probability that any given point starts a new segment.
    public var hazard = 1e-4
    /// Shape of the inverse-gamma prior on a segment's noise variance (larger = more confident prior).
    public var priorShape = 7.0
    /// Prior noise variance, as a multiple of the squared `scale`.
    public var priorScale = 0.2
    /// Prior precision of a segment's level (relative to its noise): small lets a new segment sit anywhere.
    public var levelPrecision = 1.0
    /// Prior precision of a segment's slope per step (relative to its noise): large keeps segments nearly flat.
    public var slopePrecision = 1e4
    /// A change is reported when the most probable run length falls by more than this many points; reported
    /// changes are also at least this far apart.
    public var minimumDrop = 20
    /// Points used to calibrate the scale (and during which nothing is reported).
    public var calibrationPoints = 10
    /// The series' typical point-to-point noise, in its units; nil calibrates it from the median absolute difference
    /// of the first `calibrationPoints` values. Set it when the units are known (a share moving by a percentage
    /// point is `0.01`) and the series may start flat.
    public var scale: Double?
    /// A new run must hold this many points before it can be reported (one point may be an outlier).
    public var minimumRun = 2
    /// With a fixed `scale`, the predictive variance never falls below `noiseFloor × scale²`: a series that sat
    /// perfectly still for a while does not make ordinary noise look like a change.
    public var noiseFloor = 0.05
    /// The predictive distribution's tails: its degrees of freedom stop growing at `2 × tailShape`, so it stays
    /// heavier-tailed than a Gaussian and one wild point cannot end a long segment on its own.
    public var tailShape = 15.0
    /// Segments already holding points learn from each value clipped to this many predictive standard deviations
    /// around their forecast (0 = no clipping), so an outlier does not inflate their noise.
    public var learningClip = 6.0
    /// A change is reported only when the medians before and after differ by at least this many scales.
    public var minimumShift = 1.0
    /// Run lengths beyond this are folded away (bounds memory and time per point).
    public var maxRunLength = 500

    /// The default settings.
    public init() {}
}
