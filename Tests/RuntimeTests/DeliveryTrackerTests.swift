import RdKafka
import Testing

@testable import Runtime

@Suite("Delivery tracker")
struct DeliveryTrackerTests {
    @Test("offsets are released only for the oldest batches whose every message is reported, whatever the order")
    func releasesAcknowledgedPrefix() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let tracker = DeliveryTracker()
            var nextID: UInt64 = 1
            var sentBy: [[UInt64]] = []  // message ids per registered batch
            var unreported: [UInt64] = []
            var reported = Set<UInt64>()
            var registered: [[Int32: Int64]] = []  // offsets per registered batch
            var released = 0  // batches released so far
            for batch in 0..<Int.random(in: 1...12, using: &random) {
                // Send this batch's messages; some reports arrive while it still runs (inside `send`).
                var ids: [UInt64] = []
                for _ in 0..<Int.random(in: 0...6, using: &random) {
                    ids.append(nextID)
                    unreported.append(nextID)
                    nextID += 1
                    if Bool.random(using: &random), let index = unreported.indices.randomElement(using: &random) {
                        let id = unreported.remove(at: index)
                        reported.insert(id)
                        tracker.delivered(KafkaDeliveryReport(messageID: id, partition: 0, offset: 0))
                    }
                }
                sentBy.append(ids)
                let partition = Int32.random(in: 0..<3, using: &random)
                registered.append([partition: Int64(batch + 1)])
                tracker.batchEnded(lastID: nextID - 1, offsets: registered[batch], firstClose: nil)
                // Some reports between batches, in any order.
                unreported.shuffle(using: &random)
                for _ in 0..<Int.random(in: 0...unreported.count, using: &random) {
                    let id = unreported.removeLast()
                    reported.insert(id)
                    tracker.delivered(KafkaDeliveryReport(messageID: id, partition: 0, offset: 0))
                }
                // The oracle: the longest prefix of batches with every message reported.
                var complete = released
                while complete < sentBy.count && sentBy[complete].allSatisfy(reported.contains) { complete += 1 }
                let (offsets, _) = tracker.releaseAcknowledged()
                var expected: [Int32: Int64] = [:]
                for index in released..<complete { expected.merge(registered[index]) { _, newer in newer } }
                released = complete
                #expect(offsets == expected)
            }
        }
    }

    @Test("a failed delivery is kept and still counts as reported; a forgotten partition is never released")
    func failuresAndForgetting() {
        let tracker = DeliveryTracker()
        tracker.batchEnded(lastID: 2, offsets: [0: 10, 1: 20], firstClose: nil)
        tracker.delivered(KafkaDeliveryReport(messageID: 2, partition: 0, offset: 5))
        #expect(tracker.releaseAcknowledged().offsets.isEmpty)
        let failure = KafkaError(code: .deliveryFailed, message: "test")
        tracker.delivered(KafkaDeliveryReport(messageID: 1, partition: 0, offset: -1, error: failure))
        #expect(tracker.firstFailure != nil)
        tracker.forget([1])
        #expect(tracker.releaseAcknowledged().offsets == [0: 10])
        #expect(tracker.releaseAcknowledged().offsets.isEmpty)
    }
}
