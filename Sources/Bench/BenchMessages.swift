import Pipeline
/// The benchmark's messages: `key<TAB>value` lines shaped like the shared workload's events (~120-byte JSON
/// values keyed by creator), with the byte ranges of every key and value.
struct BenchMessages {
    var bytes: [UInt8]
    var lines: [(key: Range<Int>, value: Range<Int>)]

    var meanValueBytes: Int { lines.isEmpty ? 0 : lines.reduce(0) { $0 + $1.value.count } / lines.count }

    static func make(count: Int) -> BenchMessages {
        var generator = SplitMix(seed: 42)
        let kinds = ["view", "like", "comment", "share", "follow", "unfollow"]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 140)
        var lines: [(key: Range<Int>, value: Range<Int>)] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            let creator = generator.next() % 10_000
            let keyStart = bytes.count
            bytes.append(contentsOf: "c\(creator)".utf8)
            let keyEnd = bytes.count
            bytes.append(UInt8(ascii: "\t"))
            let value = #"{"event_id":"e42-\#(index)","ts":\#(1_732_665_600_000 + index / 20),"creator_id":"c\#(creator)","user_id":"u\#(generator.next() % 1_000_000)","kind":"\#(kinds[Int(generator.next() % 6)])","post_id":"p\#(creator)-\#(generator.next() % 50)"}"#
            let valueStart = bytes.count
            bytes.append(contentsOf: value.utf8)
            lines.append((keyStart..<keyEnd, valueStart..<bytes.count))
            bytes.append(UInt8(ascii: "\n"))
        }
        return BenchMessages(bytes: bytes, lines: lines)
    }
}
