import Foundation
import Synchronization

/// SIGTERM or SIGINT that arrives while a worker is still starting (connecting, reading metadata), before the
/// service group installs its own handling: recorded instead of ending the process, and honoured as soon as the
/// worker's loop starts, which then stops as gracefully as it would later.
enum EarlyTermination {
    private static let flag = Atomic<Bool>(false)

    /// Whether a signal came before the service group took over.
    static var requested: Bool { flag.load(ordering: .acquiring) }

    /// Installs the recording handler; `Resonance.main` calls it first thing for `run`.
    static func trap() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in EarlyTermination.flag.store(true, ordering: .releasing) }
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }
}
