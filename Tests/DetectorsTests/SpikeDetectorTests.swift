import Detectors
import Testing

@Suite("Spike detector")
struct SpikeDetectorTests {
    @Test func placeholderCompiles() {}
}
