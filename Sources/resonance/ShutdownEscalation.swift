import Foundation
import UnixSignals

/// What happens when a graceful shutdown does not end: after `deadline` the process exits with status 1, and a
/// second SIGINT/SIGTERM ends it at once with 128 + the signal number, as shells report.
enum ShutdownEscalation {
    /// Arms both escalations; call when the graceful shutdown begins.
    static func arm(deadline: Duration) {
        let timer = Thread {
            Thread.sleep(forTimeInterval: deadline / .seconds(1))
            StandardStreams.writeLine("graceful shutdown took longer than \(deadline); exiting", to: .error)
            exit(1)
        }
        timer.start()
        Task.detached {
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                StandardStreams.writeLine("second signal (\(signal)): exiting without finishing", to: .error)
                exit(128 + signal.rawValue)
            }
        }
    }
}
