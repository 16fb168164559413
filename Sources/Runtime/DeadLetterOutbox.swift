import RdKafka

/// Dead letters between `send` and the broker's acknowledgement. The producer may fail one (an error past
/// librdkafka's own retries, or a record the broker refuses); the worker then sends it again, up to `attempts` times
/// in all, and at last *parks* it: a record without the value, carrying the original's headers (its source
/// coordinates and reason) and the error. Only when even that fails is it given up, logged with its coordinates and
/// counted. A dead letter never stops the worker, and its source offset is committed only once one of these ended
/// (the `DeliveryTracker` waits for the replacement's report). Worker thread only, like the tracker.
final class DeadLetterOutbox: @unchecked Sendable {
    /// A dead letter as sent.
    struct Letter {
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [KafkaHeader]
        /// How many times it was sent; `nil` value and a `resonance.parked` header once parked.
        var attempt = 1
        var isParked: Bool { headers.contains { $0.name == "resonance.parked" } }
    }

    /// A dead letter whose delivery failed, waiting for `retry`.
    struct Failure {
        var id: UInt64
        var letter: Letter
        var error: KafkaError
    }

    /// Sends in all before a dead letter is parked.
    static let attempts = 3
    private var pending: [UInt64: Letter] = [:]
    private(set) var failures: [Failure] = []

    /// Remembers a dead letter sent as message `id` until its report.
    func track(_ id: UInt64, _ letter: Letter) { pending[id] = letter }

    /// Looks at a delivery report: true when it is a dead letter's failure, kept for `retry` (the delivery tracker
    /// must not count it yet); false for everything else (a dead letter delivered is forgotten).
    func intercept(_ report: KafkaDeliveryReport) -> Bool {
        guard let letter = pending.removeValue(forKey: report.messageID) else { return false }
        guard let error = report.error else { return false }
        failures.append(Failure(id: report.messageID, letter: letter, error: error))
        return true
    }

    /// What became of a failed dead letter.
    enum Outcome: String {
        /// Sent again.
        case retried
        /// Sent as a parked record (headers and error, no value).
        case parked
        /// Given up: its parked record failed too.
        case lost
    }

    /// Sends every failed dead letter again, or parks it, or gives it up; `send` enqueues a letter and returns its
    /// message id (a throw counts as a failed delivery). Tells `replaced` which new id stands for which failed one,
    /// `settled` each failed id that nothing replaces, and `report` every outcome.
    func retry(
        send: (Letter) throws(KafkaError) -> UInt64, replaced: (_ failed: UInt64, _ by: UInt64) -> Void,
        settled: (UInt64) -> Void, report: (Outcome, Failure) -> Void
    ) {
        var queue = failures
        failures = []
        while let failure = queue.popLast() {
            var next = failure.letter
            let outcome: Outcome
            if next.isParked {
                outcome = .lost
            } else if next.attempt < Self.attempts {
                next.attempt += 1
                outcome = .retried
            } else {
                next.value = nil
                next.headers.append(KafkaHeader("resonance.parked", "\(failure.error)"))
                outcome = .parked
            }
            report(outcome, failure)
            guard outcome != .lost else {
                settled(failure.id)
                continue
            }
            do {
                let id = try send(next)
                pending[id] = next
                replaced(failure.id, id)
            } catch {
                queue.append(Failure(id: failure.id, letter: next, error: error))
            }
        }
    }
}
