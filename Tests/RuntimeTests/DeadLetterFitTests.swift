import RdKafka
import Testing

@testable import Runtime

@Suite("Dead letters always fit")
struct DeadLetterFitTests {
    @Test(
        "SHA-256 matches the FIPS 180-4 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                String(repeating: "a", count: 1_000_000),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            ),
        ])
    func sha256(text: String, digest: String) {
        #expect(Array(text.utf8).withUnsafeBytes { SHA256.hex($0) } == digest)
    }

    @Test("a value the producer could not send is cut to the prefix, with its size and digest; others pass whole")
    func fit() {
        let big = [UInt8](repeating: 0x41, count: 1_000_000)
        let cut = big.withUnsafeBytes { DeadLetterHeaders.fit($0, messageMaxBytes: 1_000_000, prefix: 65_536) }
        #expect(cut.length == 65_536)
        #expect(cut.headers.map(\.name) == ["resonance.truncated", "resonance.source.size", "resonance.source.sha256"])
        #expect(cut.headers[1].value.map { String(decoding: $0, as: UTF8.self) } == "1000000")
        let small = [UInt8](repeating: 0x41, count: 900_000)
        let whole = small.withUnsafeBytes { DeadLetterHeaders.fit($0, messageMaxBytes: 1_000_000, prefix: 65_536) }
        #expect(whole.length == nil && whole.headers.isEmpty)
        #expect(DeadLetterHeaders.fit(nil, messageMaxBytes: 1_000_000, prefix: 65_536).length == nil)
    }
}
