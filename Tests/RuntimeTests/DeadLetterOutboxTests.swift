import RdKafka
import Testing

@testable import Runtime

@Suite("Dead letters that fail to deliver")
struct DeadLetterOutboxTests {
    static let failure = KafkaError(code: .underlying, message: "MSG_SIZE_TOO_LARGE", rdKafkaCode: 10)

    /// One batch of 3 messages (ids 1…3, id 2 a dead letter) for offset 42 of partition 0.
    static func setUp() -> (DeliveryTracker, DeadLetterOutbox) {
        let tracker = DeliveryTracker()
        let outbox = DeadLetterOutbox()
        outbox.track(
            2,
            DeadLetterOutbox.Letter(
                key: [1], value: Array("bad".utf8), headers: [KafkaHeader("resonance.source.offset", "41")]))
        tracker.batchEnded(lastID: 3, offsets: [0: 42], firstClose: nil)
        return (tracker, outbox)
    }

    /// Delivers `report` the way the worker's delivery callback does.
    static func deliver(_ report: KafkaDeliveryReport, _ tracker: DeliveryTracker, _ outbox: DeadLetterOutbox) {
        if !outbox.intercept(report) { tracker.delivered(report) }
    }

    @Test("a failed dead letter is sent again; its batch's offset waits for the new copy, and nothing is fatal")
    func retried() {
        let (tracker, outbox) = Self.setUp()
        for id: UInt64 in [1, 3] {
            Self.deliver(KafkaDeliveryReport(messageID: id, partition: 0, offset: 0), tracker, outbox)
        }
        Self.deliver(KafkaDeliveryReport(messageID: 2, partition: 0, offset: -1, error: Self.failure), tracker, outbox)
        #expect(tracker.releaseAcknowledged().offsets.isEmpty)
        var sent: [DeadLetterOutbox.Letter] = []
        var outcomes: [DeadLetterOutbox.Outcome] = []
        outbox.retry(
            send: {
                sent.append($0)
                return 4
            }, replaced: tracker.replace, settled: tracker.settle, report: { outcome, _ in outcomes.append(outcome) })
        #expect(outcomes == [.retried] && sent.first?.value == Array("bad".utf8) && sent.first?.attempt == 2)
        tracker.batchEnded(lastID: 4, offsets: [:], firstClose: nil)
        #expect(tracker.releaseAcknowledged().offsets.isEmpty, "the copy is not acknowledged yet")
        Self.deliver(KafkaDeliveryReport(messageID: 4, partition: 0, offset: 7), tracker, outbox)
        #expect(tracker.releaseAcknowledged().offsets == [0: 42])
        #expect(tracker.firstFailure == nil)
    }

    @Test("after three failed sends a dead letter is parked without its value; a failed parked record is given up")
    func parkedThenLost() {
        let (tracker, outbox) = Self.setUp()
        for id: UInt64 in [1, 3] {
            Self.deliver(KafkaDeliveryReport(messageID: id, partition: 0, offset: 0), tracker, outbox)
        }
        var nextID: UInt64 = 4
        var outcomes: [DeadLetterOutbox.Outcome] = []
        var last: DeadLetterOutbox.Letter?
        var failing: UInt64 = 2
        for _ in 0..<4 {
            Self.deliver(
                KafkaDeliveryReport(messageID: failing, partition: 0, offset: -1, error: Self.failure), tracker, outbox)
            outbox.retry(
                send: { letter in
                    last = letter
                    defer { nextID += 1 }
                    return nextID
                }, replaced: tracker.replace, settled: tracker.settle,
                report: { outcome, _ in outcomes.append(outcome) })
            tracker.batchEnded(lastID: nextID - 1, offsets: [:], firstClose: nil)
            failing = nextID - 1
        }
        #expect(outcomes == [.retried, .retried, .parked, .lost])
        #expect(last?.value == nil && last?.headers.contains { $0.name == "resonance.parked" } == true)
        #expect(
            last?.headers.contains { $0.name == "resonance.source.offset" } == true,
            "a parked record keeps its coordinates")
        // Given up: the batch is released, the worker goes on.
        #expect(tracker.releaseAcknowledged().offsets == [0: 42])
        #expect(tracker.firstFailure == nil)
    }

    @Test("a failed result (not a dead letter) is still fatal")
    func resultsStayFatal() {
        let (tracker, outbox) = Self.setUp()
        Self.deliver(KafkaDeliveryReport(messageID: 1, partition: 0, offset: -1, error: Self.failure), tracker, outbox)
        #expect(tracker.firstFailure != nil)
    }
}
