import Foundation
import ServiceLifecycle
import Synchronization

/// A `Worker` as a swift-service-lifecycle `Service`: its synchronous batch loop runs on a thread of its own (never
/// on the cooperative pool, whose threads must not block in librdkafka), and graceful shutdown raises the loop's
/// stop flag, so the worker finishes the batch in hand, checkpoints, commits and leaves the group before `run`
/// returns.
public final class WorkerService: Service, Sendable {
    /// The worker, touched only by the loop thread once `run` starts.
    private nonisolated(unsafe) let worker: Worker
    private let stop = Atomic<Bool>(false)
    private let onGracefulShutdown: @Sendable () -> Void
    private let stopsAlsoWhen: @Sendable () -> Bool

    /// - Parameters:
    ///   - stopsAlsoWhen: another stop request the loop polls (a signal that came before the service group could
    ///     see it).
    ///   - onGracefulShutdown: runs when shutdown is requested, before the loop has finished; the CLI arms its
    ///     deadline and second-signal escalation there.
    public init(
        worker: Worker, stopsAlsoWhen: @escaping @Sendable () -> Bool = { false },
        onGracefulShutdown: @escaping @Sendable () -> Void = {}
    ) {
        self.worker = worker
        self.stopsAlsoWhen = stopsAlsoWhen
        self.onGracefulShutdown = onGracefulShutdown
    }

    /// Runs the loop until graceful shutdown (or a fatal error, which it rethrows).
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let thread = Thread { [self] in
                    do {
                        try worker.run { stop.load(ordering: .acquiring) || stopsAlsoWhen() }
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "resonance-worker"
                thread.start()
            }
        } onGracefulShutdown: { [self] in
            stop.store(true, ordering: .releasing)
            onGracefulShutdown()
        }
    }

    /// What the worker has done; read it after `run` returned.
    public var statistics: WorkerStatistics { worker.statistics }
}
