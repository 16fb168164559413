import Pipeline
import Testing

@Suite("Key partitioner")
struct KeyPartitionerTests {
    static func partition(_ key: String, of count: Int) -> (crc: UInt32, partition: Int) {
        var copy = key
        return copy.withUTF8 { bytes in
            (KeyPartitioner.crc32(UnsafeRawBufferPointer(bytes)), KeyPartitioner(partitions: count).partition(of: UnsafeRawBufferPointer(bytes)))
        }
    }

    @Test("CRC-32 (IEEE) as zlib computes it, modulo the partition count, like librdkafka's consistent_random")
    func crc() {
        #expect(Self.partition("123456789", of: 8).crc == 0xCBF4_3926)  // the standard check value
        #expect(Self.partition("c1", of: 8) == (1_591_159_457, 1))
        #expect(Self.partition("c17", of: 8) == (3_408_924_374, 6))
        #expect(Self.partition("creator-é", of: 8) == (2_271_893_750, 6))
        #expect(Self.partition("", of: 8).partition == 0)
    }
}
