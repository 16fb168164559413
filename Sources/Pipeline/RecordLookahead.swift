import Engagement

/// What a `RecordLookahead` scans records with: a job, or a decoder alone.
protocol RecordScanning {
    /// Reads a record value ahead of its processing; changes nothing.
    func scan(_ value: UnsafeRawBufferPointer?) -> ScannedRecord
    /// Starts loading the state the processing of `record` will touch; a hint.
    mutating func prefetchState(for record: ScannedRecord)
}

extension EngagementJob: RecordScanning {}

extension EventDecoder: RecordScanning {
    /// A decoder alone keeps no state beyond its id tables, which `scan` already starts loading.
    func prefetchState(for record: ScannedRecord) {}
}

/// Runs the scanning of a run of records `distance` positions ahead of their processing, and the loading of their
/// creators' window state halfway, so that neither the bytes nor the tables a record needs are waited for when it is
/// processed — and every byte is scanned once. Positions count from 0 in each run (`begin`); a position the caller
/// skips leaves the record `distance` positions after it to be scanned when it is taken, nothing worse.
public struct RecordLookahead {
    /// How many positions ahead a record is scanned: far enough for the id tables' slots to arrive, and then the
    /// creator's state (two dependent loads, half the distance each), near enough for all of it to stay cached.
    public static let distance = 16

    private struct Entry {
        var run = 0
        var position = -1
        var record: ScannedRecord?
    }

    private var ring = [Entry](repeating: Entry(), count: distance)
    private var run = 0
    private var count = 0

    /// Creates a lookahead; `begin` starts its first run.
    public init() {}

    /// Starts a run of `count` records: nothing scanned for an earlier run is used in it.
    public mutating func begin(count: Int) {
        run &+= 1
        self.count = count
    }

    /// The record at `position` (in 0..<count, increasing) scanned by `job`, with `value(p)` the value at position `p`:
    /// scanned `distance` positions ago, or now if it was not. Scans the record `distance` positions on and starts
    /// loading the window state of the one half as far on.
    public mutating func take(_ position: Int, job: inout EngagementJob, value: (Int) -> UnsafeRawBufferPointer?) -> ScannedRecord {
        take(position, scanner: &job, value: value)
    }

    /// The record at `position` scanned by `decoder`, as `take(_:job:value:)` does for a job (for measuring decoding
    /// alone).
    public mutating func take(_ position: Int, decoder: inout EventDecoder, value: (Int) -> UnsafeRawBufferPointer?) -> ScannedRecord {
        take(position, scanner: &decoder, value: value)
    }

    @inline(__always)
    private mutating func take<Scanner: RecordScanning>(
        _ position: Int, scanner: inout Scanner, value: (Int) -> UnsafeRawBufferPointer?
    ) -> ScannedRecord {
        let slot = position & (Self.distance - 1)
        let record = ring[slot].run == run && ring[slot].position == position ? ring[slot].record! : scanner.scan(value(position))
        let ahead = position + Self.distance
        if ahead < count { ring[slot] = Entry(run: run, position: ahead, record: scanner.scan(value(ahead))) }
        let halfway = position + Self.distance / 2
        let halfwaySlot = halfway & (Self.distance - 1)
        if halfway < count && ring[halfwaySlot].run == run && ring[halfwaySlot].position == halfway {
            scanner.prefetchState(for: ring[halfwaySlot].record!)
        }
        return record
    }
}
