import Engagement
import Testing

@Suite("Decimal output")
struct DecimalOutputTests {
    @Test("appendDecimal writes what String(describing:) writes, edges and random values")
    func matchesDescription() {
        var random = SystemRandomNumberGenerator()
        var signed: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        for power in 0..<19 {
            let ten = (0..<power).reduce(Int64(1)) { value, _ in value * 10 }
            signed += [ten - 1, ten, ten + 1, -ten]
        }
        for _ in 0..<10_000 { signed.append(Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0..<63, using: &random)) }
        for value in signed {
            var output = Array("x".utf8)
            output.appendDecimal(value)
            #expect(String(decoding: output, as: UTF8.self) == "x\(value)")
        }
        for value in [UInt64.max, UInt64.max - 1, 10_000_000_000_000_000_000, 9_999_999_999_999_999_999] {
            var output: [UInt8] = []
            output.appendDecimal(value)
            #expect(String(decoding: output, as: UTF8.self) == "\(value)")
        }
    }

    @Test("appendShortest writes what description writes: ratios, scores, edges and random doubles")
    func shortestMatchesDescription() {
        var random = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 0.5, 12.3, 1 / 3, 2 / 3, 0.012345678901234567, 1e-7, 1e16, 1e22,
                                123_456_789.125, .pi, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity]
        for _ in 0..<10_000 {
            values.append(Double(Int.random(in: 0...1_000_000, using: &random)) / Double(Int.random(in: 1...1_000_000, using: &random)))
            values.append(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &random)))
        }
        for value in values where !value.isNaN {
            var output = Array("x".utf8)
            output.appendShortest(value)
            #expect(String(decoding: output, as: UTF8.self) == "x\(value.description)")
        }
    }
}
