import RdKafka

/// Which processed batches have every message derived from them acknowledged by the broker, so their source offsets
/// may be committed without waiting for anything produced after them.
///
/// A batch owns the producer's message ids sent since the previous batch ended (ids are sequential). Delivery
/// reports arrive in any order across topics and partitions; a batch is acknowledged when all of its reports are in,
/// and batches are released oldest first, so a released offset never passes an unacknowledged result. Runs on the
/// worker's thread only: the producer serves delivery reports inside `send`, `poll` and `flush` on that thread.
final class DeliveryTracker: @unchecked Sendable {
    /// One batch still waiting for reports.
    private struct Batch {
        var lastID: UInt64
        var outstanding: Int
        var offsets: [Int32: Int64]
        var firstClose: ContinuousClock.Instant?
    }

    /// The first delivery failure, which stops the worker before anything after it is committed.
    private(set) var firstFailure: KafkaError?
    private var batches: [Batch] = []
    private var head = 0
    private var lastRegisteredID: UInt64 = 0
    /// Reports for ids sent after the last registered batch (served inside `send` while that batch still runs).
    private var reportedAhead = 0
    /// Messages sent again in place of failed ones (`replace`): the failed ids each report stands for as well.
    private var standsFor: [UInt64: [UInt64]] = [:]

    /// Counts one delivery report (a failure counts as reported, and is kept).
    func delivered(_ report: KafkaDeliveryReport) {
        if let error = report.error, firstFailure == nil { firstFailure = error }
        settle(report.messageID)
    }

    /// Counts message `id` as reported without a failure (and every failed one it replaced).
    func settle(_ id: UInt64) {
        for replaced in standsFor.removeValue(forKey: id) ?? [] { count(replaced) }
        count(id)
    }

    /// Records that message `newID` was sent in place of `failedID`, whose report was withheld: the batch of
    /// `failedID` waits for `newID`'s report.
    func replace(_ failedID: UInt64, by newID: UInt64) {
        standsFor[newID] = (standsFor.removeValue(forKey: failedID) ?? []) + [failedID]
    }

    private func count(_ id: UInt64) {
        guard id > lastRegisteredID else {
            var low = head
            var high = batches.count - 1
            while low < high {  // the oldest batch whose last id is at least the report's
                let middle = (low + high) / 2
                if batches[middle].lastID >= id { high = middle } else { low = middle + 1 }
            }
            if low < batches.count, batches[low].lastID >= id { batches[low].outstanding -= 1 }
            return
        }
        reportedAhead += 1
    }

    /// Registers a finished batch: the messages up to `lastID` that it sent, the next offsets it consumed up to, and
    /// when it first closed a window.
    func batchEnded(lastID: UInt64, offsets: [Int32: Int64], firstClose: ContinuousClock.Instant?) {
        let sent = Int(lastID - lastRegisteredID)
        batches.append(
            Batch(lastID: lastID, outstanding: sent - reportedAhead, offsets: offsets, firstClose: firstClose))
        lastRegisteredID = lastID
        reportedAhead = 0
    }

    /// Removes the oldest batches that are fully acknowledged and returns their offsets merged (newest wins) and the
    /// earliest window close among them.
    func releaseAcknowledged() -> (offsets: [Int32: Int64], firstClose: ContinuousClock.Instant?) {
        var offsets: [Int32: Int64] = [:]
        var firstClose: ContinuousClock.Instant?
        while head < batches.count, batches[head].outstanding <= 0 {
            offsets.merge(batches[head].offsets) { _, newer in newer }
            firstClose = firstClose ?? batches[head].firstClose
            head += 1
        }
        if head > 64 && head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
        return (offsets, firstClose)
    }

    /// Forgets `partitions` in every waiting batch (revoked or lost: no longer this worker's to commit).
    func forget(_ partitions: some Sequence<Int32>) {
        for partition in partitions {
            for index in batches.indices { batches[index].offsets[partition] = nil }
        }
    }
}
