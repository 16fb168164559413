import Foundation
import Synchronization

/// SIGINT/SIGTERM handling for long-running subcommands: the signals are blocked in every thread (call
/// `blockTermination()` before starting any) and received synchronously by `sigwait`.
enum ProcessSignals {
    /// Blocks SIGINT and SIGTERM for this thread and every thread it starts later.
    static func blockTermination() {
        var set = terminationSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for SIGINT or SIGTERM and returns its number.
    static func waitForTermination() -> Int32 {
        var set = terminationSet()
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        return signal
    }

    /// Starts a thread that waits for SIGINT or SIGTERM, then sets `stop` and runs `onSignal`. With a `deadline`,
    /// a graceful stop that takes longer ends the process with status 1, and a second signal ends it at once with
    /// 128 + the signal number, as shells report.
    static func onTermination(_ stop: StopFlag, deadline: Duration? = nil, _ onSignal: @escaping @Sendable () -> Void) {
        let thread = Thread {
            _ = waitForTermination()
            stop.set()
            onSignal()
            guard let deadline else { return }
            let escalation = Thread {
                Thread.sleep(forTimeInterval: deadline / .seconds(1))
                StandardStreams.writeLine("graceful shutdown took longer than \(deadline); exiting", to: .error)
                exit(1)
            }
            escalation.start()
            let second = waitForTermination()
            StandardStreams.writeLine("second signal: exiting without finishing", to: .error)
            exit(128 + second)
        }
        thread.start()
    }

    private static func terminationSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }
}

/// A flag one thread raises and another polls, without locks.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Whether the flag was raised.
    var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Raises the flag.
    func set() { flag.store(true, ordering: .releasing) }
}
