/// Epoch-aligned hopping windows `[start, start + size)` with `start % advance == 0`; tumbling when
/// `advance == size`. A window closes when stream time reaches `end + grace`; events for closed windows are late.
public struct HoppingWindows: Sendable, Equatable {
    /// Window length, milliseconds.
    public let size: Int64
    /// Distance between window starts, milliseconds.
    public let advance: Int64
    /// How long after its end a window still accepts events, milliseconds.
    public let grace: Int64

    /// Creates hopping windows; nil unless `size` is a positive multiple of a positive `advance` and `grace ≥ 0`.
    public init?(size: Int64, advance: Int64, grace: Int64) {
        guard advance > 0, size >= advance, size % advance == 0, grace >= 0 else { return nil }
        self.size = size
        self.advance = advance
        self.grace = grace
    }

    /// Tumbling windows of `size`.
    public static func tumbling(size: Int64, grace: Int64) -> HoppingWindows? {
        HoppingWindows(size: size, advance: size, grace: grace)
    }

    /// The start of the pane (the `advance`-long slice) holding `timestamp`.
    @inline(__always)
    func paneStart(_ timestamp: Int64) -> Int64 {
        let remainder = timestamp % advance
        return timestamp - (remainder < 0 ? remainder + advance : remainder)
    }

    /// The largest window start that is closed at stream time `streamTime`.
    @inline(__always)
    func lastClosedStart(streamTime: Int64) -> Int64 {
        paneStart(streamTime - size - grace)
    }
}

/// Which clock closes windows.
public enum StreamTimeScope: String, Sendable, CaseIterable {
    /// Max event time per Kafka partition (Kafka Streams).
    case partition
    /// Max event time per key (Quix Streams' default, the shared benchmark's reference).
    case key
}
