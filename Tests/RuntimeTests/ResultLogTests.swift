import RdKafka
import Testing

@testable import Runtime

@Suite("Output ends recorded with checkpoints")
struct ResultLogEncodingTests {
    @Test("ends survive the header round trip; anything else is refused")
    func roundTrip() {
        let ends = [
            KafkaTopicPartition(topic: "engagement-aggregates", partition: 0, offset: 12),
            KafkaTopicPartition(topic: "community.spikes_v2", partition: 31, offset: 0),
        ]
        #expect(ResultLog.decode(ResultLog.encode(ends)) == ends)
        #expect(ResultLog.decode("engagement-aggregates:0") == nil)
        #expect(ResultLog.decode("t:x:1") == nil)
    }
}
