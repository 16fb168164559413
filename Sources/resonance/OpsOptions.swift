import ArgumentParser
import Foundation

/// `--ops-port` and `--ops-bind`: where a worker serves `/metrics`, `/healthz` and `/readyz`.
struct OpsOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Serve /metrics (Prometheus), /healthz and /readyz on this port; 0 picks a free one and logs it (env: RESONANCE_OPS_PORT, default: off).",
        valueName: "port"))
    var opsPort: Int?

    @Option(help: ArgumentHelp(
        "Address the ops endpoint binds; 0.0.0.0 exposes it beyond this host (env: RESONANCE_OPS_BIND, default: 127.0.0.1).",
        valueName: "address"))
    var opsBind: String?

    /// The port to serve on, or nil when the endpoint is off.
    func port() throws -> Int? {
        guard let text = opsPort.map(String.init) ?? ProcessInfo.processInfo.environment["RESONANCE_OPS_PORT"] else { return nil }
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw ValidationError("--ops-port (or RESONANCE_OPS_PORT) expects a port 0–65535, got '\(text)'")
        }
        return port
    }

    /// The address to bind.
    var host: String { opsBind ?? ProcessInfo.processInfo.environment["RESONANCE_OPS_BIND"] ?? "127.0.0.1" }

    func validate() throws { _ = try port() }
}
