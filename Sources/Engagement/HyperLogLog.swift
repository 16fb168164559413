#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#elseif canImport(Darwin)
    import Darwin
#endif

/// A HyperLogLog sketch with 2^14 registers: standard error 1.04/√16384 ≈ 0.81 % for large cardinalities, with
/// linear counting below 2.5·m where HyperLogLog is biased (Flajolet et al. 2007; Heule et al. 2013).
public struct HyperLogLog: Sendable, Equatable {
    static let precision = 14
    static let registerCount = 1 << precision
    var registers = [UInt8](repeating: 0, count: registerCount)

    /// Creates an empty sketch.
    public init() {}

    /// Adds a 64-bit hash of an element (hashes must be well mixed; see `mix`).
    @inline(__always)
    public mutating func add(hash: UInt64) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rest = hash << UInt64(Self.precision) | (1 << UInt64(Self.precision - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Adds user ids (each hashed with `mix`).
    mutating func add(users: some Sequence<UInt32>) {
        for user in users { add(hash: Self.mix(user)) }
    }

    /// Folds `other` into this sketch: the result estimates the union.
    public mutating func merge(_ other: HyperLogLog) {
        for index in registers.indices where other.registers[index] > registers[index] {
            registers[index] = other.registers[index]
        }
    }

    /// The estimated number of distinct elements added.
    public var estimate: Int {
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let raw = 0.7213 / (1 + 1.079 / m) * m * m / sum
        if raw <= 2.5 * m && zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())
        }
        return Int(raw.rounded())
    }

    /// A well-mixed 64-bit hash of a 32-bit id (SplitMix64's finaliser).
    @inline(__always)
    public static func mix(_ id: UInt32) -> UInt64 {
        var z = UInt64(id) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
