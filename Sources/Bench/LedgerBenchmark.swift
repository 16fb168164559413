import Engagement
import Foundation

/// `resonance bench ledger`: the follower ledger at scale — follows for N (creator, follower) pairs, then an
/// engagement per pair and a health report — with the bytes it holds per pair and the process's resident memory.
public struct LedgerBenchmark {
    /// What a run measured.
    public struct Result: Sendable {
        public var pairs: Int
        public var creatorsReported: Int
        public var storageBytes: Int
        public var followSeconds: Double
        public var engageSeconds: Double
        public var reportSeconds: Double
        public var residentBytesBefore: Int
        public var residentBytesAfter: Int
    }

    let pairs: Int
    let creators: Int

    /// A run over `pairs` pairs spread over `creators` creators.
    public init(pairs: Int, creators: Int) {
        self.pairs = max(pairs, 1)
        self.creators = max(creators, 1)
    }

    /// Runs once.
    public func run() -> Result {
        let before = ResidentMemory.currentBytes()
        var ledger = FollowerLedger(dormantAfter: 30 * 86_400_000)
        let start: Int64 = 1_732_665_600_000
        let clock = ContinuousClock()
        let followed = clock.measure {
            for index in 0..<pairs {
                ledger.follow(creator: UInt32(index % creators), user: UInt32(index / creators), at: start + Int64(index))
            }
        }
        let engaged = clock.measure {
            for index in 0..<pairs {
                ledger.engage(creator: UInt32(index % creators), user: UInt32(index / creators), at: start + 86_400_000 + Int64(index))
            }
        }
        var reports = 0
        let reported = clock.measure { reports = ledger.report(asOf: start + 40 * 86_400_000).count }
        return Result(
            pairs: ledger.pairs, creatorsReported: reports, storageBytes: ledger.storageBytes, followSeconds: followed / .seconds(1),
            engageSeconds: engaged / .seconds(1), reportSeconds: reported / .seconds(1), residentBytesBefore: before,
            residentBytesAfter: ResidentMemory.currentBytes())
    }
}
