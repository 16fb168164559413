import Foundation
import Synchronization

/// SIGINT/SIGTERM handling for long-running subcommands that are not service groups: a handler writes the signal
/// number into a pipe (the self-pipe trick, async-signal-safe whichever thread the kernel picks), and a thread
/// reads it synchronously. Call `trapTermination()` first.
enum ProcessSignals {
    /// The pipe the handler writes to: [read end, write end].
    nonisolated(unsafe) private static var pipeEnds: [Int32] = [-1, -1]

    /// Unblocks SIGINT and SIGTERM on the calling thread, and so on the threads it starts: a parent may hand its mask
    /// down through `exec` (a test runner spawning from a thread that blocks them does), and a blocked SIGTERM stays
    /// pending forever. `Resonance.main` calls it before anything else.
    static func unblockTermination() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Installs the handler for SIGINT and SIGTERM; until then they end the process as usual.
    static func trapTermination() {
        pipe(&pipeEnds)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(ProcessSignals.pipeEnds[1], &byte, 1)
        }
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// Waits for SIGINT or SIGTERM and returns its number.
    static func waitForTermination() -> Int32 {
        var byte: UInt8 = 0
        while read(pipeEnds[0], &byte, 1) != 1 {}
        return Int32(byte)
    }

    /// Starts a thread that waits for SIGINT or SIGTERM, then sets `stop` and runs `onSignal`.
    static func onTermination(_ stop: StopFlag, _ onSignal: @escaping @Sendable () -> Void) {
        let thread = Thread {
            _ = waitForTermination()
            stop.set()
            onSignal()
        }
        thread.start()
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
