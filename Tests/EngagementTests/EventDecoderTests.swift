import Testing

@testable import Engagement

@Suite("Event decoder")
struct EventDecoderTests {
    static func decode(_ text: String, decoder: inout EventDecoder) -> DecodeOutcome {
        var copy = text
        return copy.withUTF8 { decoder.decode(UnsafeRawBufferPointer($0)) }
    }

    static func decode(_ text: String) -> DecodeOutcome {
        var decoder = EventDecoder()
        return decode(text, decoder: &decoder)
    }

    static let valid =
        #"{"event_id":"e1","ts":1732665600123,"creator_id":"c1","user_id":"u1","kind":"like","post_id":"p1"}"#

    @Test("records scanned ahead decode as they would have one by one, the id tables growing in between")
    func scanAhead() {
        var random = SystemRandomNumberGenerator()
        var inputs = [
            Self.valid, #"{"user_id":"#, #"{"user_id":"u"#, #""user_id":"x""#, "", "{}",
            #"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u\"q","kind":"like"}"#,
        ]
        for index in 0..<3000 {
            // Fresh ids throughout, so the tables grow between a record's scan and its decoding.
            let record =
                #"{"event_id":"e\#(index)","ts":\#(index),"creator_id":"c\#(index % 700)","user_id":"u\#(index)","kind":"like"}"#
            var bytes = Array(record.utf8)
            if index % 3 == 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            }
            inputs.append(String(decoding: bytes, as: UTF8.self))
        }
        let buffers = inputs.map { text in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: text.utf8.count, alignment: 1)
            _ = buffer.initializeMemory(as: UInt8.self, from: text.utf8)
            return buffer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        var plain = EventDecoder()
        var ahead = EventDecoder()
        let expected = buffers.map { plain.decode(UnsafeRawBufferPointer($0)) }
        let scanned = buffers.map { ahead.scan(UnsafeRawBufferPointer($0)) }
        #expect(scanned.map { ahead.decode($0) } == expected)
        #expect(plain.users.count == ahead.users.count)
        #expect(plain.creators.count == ahead.creators.count)
        #expect(ahead.decode(ahead.scan(nil)) == .rejected(Rejection(.emptyPayload)))
        // A scanned record's creator probe names its creator once known, and nothing before.
        var fresh = EventDecoder()
        var valid = Self.valid
        let record = valid.withUTF8 { fresh.scan(UnsafeRawBufferPointer($0)) }
        #expect(record.creatorProbe.flatMap { fresh.creators.probableID($0) } == nil)
        guard case .event(let event) = Self.decode(Self.valid, decoder: &fresh) else {
            Issue.record("not an event")
            return
        }
        #expect(record.creatorProbe.flatMap { fresh.creators.probableID($0) } == event.creator)
    }

    @Test("the compact-JSON fast path locates exactly the fields the general path does, or leaves the record to it")
    func compactPathAgreesWithGeneralPath() {
        var random = SystemRandomNumberGenerator()
        let pairs = [
            #""event_id":"e-17""#, #""ts":1732665600123"#, #""creator_id":"c2169""#, #""user_id":"u575586""#,
            #""kind":"share""#, #""post_id":"p2169-15""#, #""community":"music""#, #""count":42"#, #""ts":-5"#,
            #""x":"y""#, #""creator_idx":"c""#, #""user_i":"u""#, #""kinds":"like""#, #""ts ":1"#, #""tS":1"#,
            #""event_id":7"#, #""count":"many""#, #""community":"café""#, #""naïve":"日本""#, #""kind":"a\"b""#,
            #""communityy":1"#, #""post_id":null"#,
            #""ts":0"#, #""ts":07"#, #""count":12345678"#, #""count":-123456789"#, #""ts":123456789012345678"#,
            #""ts":1234567890123456789"#, #""count":99999999999999999"#, #""ts":1.5"#,
        ]
        var accepted = 0
        for round in 0..<20_000 {
            var text =
                "{"
                + (0..<Int.random(in: 0...8, using: &random)).map { _ in pairs.randomElement(using: &random)! }
                .joined(separator: ",") + "}"
            if round % 4 == 0 {
                var bytes = Array(text.utf8)
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x20...0x7E, using: &random)
                text = String(decoding: bytes, as: UTF8.self)
            }
            var copy = text
            copy.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                var fast = EventDecoder.Fields()
                var nonASCII = false
                guard EventDecoder.compactFields(bytes, into: &fast, nonASCII: &nonASCII) else { return }
                #expect(nonASCII == bytes.contains { $0 >= 0x80 }, "\(text)")
                accepted += 1
                var decoder = EventDecoder()
                guard case .success(let general) = decoder.generalFields(bytes) else {
                    Issue.record("fast path accepted what the general path rejects: \(text)")
                    return
                }
                #expect(fast == general, "\(text)")
            }
        }
        // Repeated keys and keys outside the schema go to the general path: about 3,000 of 20,000 stay on the fast one.
        #expect(accepted > 2_000)
    }

    @Test("digits read eight bytes at a time: the run of leading digits and its value, as read byte by byte")
    func wordDigits() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789".utf8) + Array(",}-/:a\u{0}".utf8) + [0x2F, 0x3A, 0xFA, 0xFF, 0x36 + 0x80]
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                Bool.random(using: &random)
                    ? UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random)
                    : alphabet.randomElement(using: &random)!
            }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            #expect(EventDecoder.leadingDigits(word) == digits.count, "\(bytes)")
            guard !digits.isEmpty else { continue }
            #expect(
                EventDecoder.digitsValue(word, count: digits.count) == digits.reduce(0) { $0 * 10 + Int64($1 - 48) },
                "\(bytes)")
        }
    }

    @Test("an interner probe finds the id of what it probed once interned, and nothing for what never was")
    func internerProbes() {
        var interner = Interner()
        func probe(_ text: String) -> Interner.Probe {
            var copy = text
            return copy.withUTF8 { interner.probe(UnsafeRawBufferPointer($0)) }
        }
        // Short, exactly eight and long ids; the absent ones differ from every present one in their first eight
        // bytes or their length, which a probe compares.
        let present =
            (0..<3000).map { "u\($0)" }
            + (0..<3000).map { "p\(String(repeating: "x", count: 7 - String($0).count))\($0)" }
            + (0..<3000).map { "creator-\($0)-long" }
        let absent = (0..<3000).map { "v\($0)" } + (0..<3000).map { "absent-\($0)-long" } + ["", "u0 "]
        for text in present { #expect(interner.probableID(probe(text)) == nil) }
        let ids = present.map { interner.intern($0) }
        for (text, id) in zip(present, ids) { #expect(interner.probableID(probe(text)) == id) }
        for text in absent { #expect(interner.probableID(probe(text)) == nil) }
    }

    @Test("a valid event decodes with interned ids")
    func validEvent() throws {
        var decoder = EventDecoder()
        guard case .event(let event) = Self.decode(Self.valid, decoder: &decoder) else {
            Issue.record("not an event")
            return
        }
        #expect(event.timestamp == 1_732_665_600_123)
        #expect(event.kind == .like)
        #expect(decoder.creators.string(event.creator) == "c1")
        #expect(decoder.users.string(event.user) == "u1")
        #expect(decoder.posts.string(event.post) == "p1")
        #expect(event.community == InteractionEvent.none)
    }

    @Test(
        "RFC 3339 timestamps, escapes, unknown and nested extra fields, whitespace",
        arguments: [
            (
                #"{"event_id":"e","ts":"2024-11-27T00:00:00.123Z","creator_id":"c","user_id":"u","kind":"view"}"#,
                Int64(1_732_665_600_123)
            ),
            (
                #"{"event_id":"e","ts":"2024-11-27T02:00:00+02:00","creator_id":"c","user_id":"u","kind":"view"}"#,
                1_732_665_600_000
            ),
            (
                #" { "extra" : {"a":[1,2,{"b":null}],"c":true} , "event_id":"e","ts":5,"creator_id":"c","user_id":"u","kind":"view","x":-1.5e3 } "#,
                5
            ),
            (#"{"event_id":"e","ts":-7,"creator_id":"c","user_id":"u","kind":"view","post_id":null}"#, -7),
            (
                #"{"event_id":"e","ts":0,"creator_id":"c","user_id":"u","kind":"view","x":[0,-0,0.5,-0.0e1],"y":{"a":1},"z":{"a":1}}"#,
                0
            ),
            (
                #"{"event_id":"e","ts":3,"creator_id":"c\uD83D\uDE00","user_id":"u","kind":"view","x":"\udbff\udfff"}"#,
                3
            ),
        ])
    func acceptedVariants(text: String, timestamp: Int64) {
        guard case .event(let event) = Self.decode(text) else {
            Issue.record("rejected: \(text)")
            return
        }
        #expect(event.timestamp == timestamp)
    }

    @Test("escaped ids are unescaped before interning")
    func escapedIDs() {
        var decoder = EventDecoder()
        guard
            case .event(let event) = Self.decode(
                #"{"event_id":"e","ts":1,"creator_id":"c\"1\u00e9","user_id":"u","kind":"like"}"#, decoder: &decoder)
        else {
            Issue.record("rejected")
            return
        }
        #expect(decoder.creators.string(event.creator) == "c\"1é")
    }

    @Test(
        "every rejection reason",
        arguments: [
            ("", RejectionReason.emptyPayload, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like""#, .invalidJSON, nil),
            (#"[1,2]"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like"} trailing"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":01x,"creator_id":"c","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"ts":1,"creator_id":"c","user_id":"u","kind":"like"}"#, .missingField, "event_id"),
            (#"{"event_id":"e","creator_id":"c","user_id":"u","kind":"like"}"#, .missingField, "ts"),
            (#"{"event_id":"e","ts":1,"user_id":"u","kind":"like"}"#, .missingField, "creator_id"),
            (#"{"event_id":"e","ts":1,"creator_id":"c","kind":"like"}"#, .missingField, "user_id"),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u"}"#, .missingField, "kind"),
            (#"{"event_id":"e","ts":1,"creator_id":"c","kind":"followers"}"#, .missingField, "count"),
            (#"{"event_id":"e","ts":"yesterday","creator_id":"c","user_id":"u","kind":"like"}"#, .wrongType, "ts"),
            (#"{"event_id":"e","ts":1.5,"creator_id":"c","user_id":"u","kind":"like"}"#, .wrongType, "ts"),
            (
                #"{"event_id":"e","ts":99999999999999999999,"creator_id":"c","user_id":"u","kind":"like"}"#, .wrongType,
                "ts"
            ),
            (#"{"event_id":"e","ts":1,"creator_id":7,"user_id":"u","kind":"like"}"#, .wrongType, "creator_id"),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":["like"]}"#, .wrongType, "kind"),
            (
                #"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","post_id":3}"#, .wrongType,
                "post_id"
            ),
            // RFC 8259: a number has no leading zero, a surrogate escape comes in a high–low pair, a key appears once.
            (#"{"event_id":"e","ts":01,"creator_id":"c","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":-01,"creator_id":"c","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","x":007}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","x":[00.5]}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c\uD83D","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c\uDE00x","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c\uD83D\u0041","user_id":"u","kind":"like"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","x":"\ud800"}"#, .invalidJSON, nil),
            (#"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","ts":2}"#, .duplicateField, "ts"),
            (
                #"{"event_id":"e","ts":1,"creator_id":"c","creator_id":"d","user_id":"u","kind":"like"}"#,
                .duplicateField, "creator_id"
            ),
            (
                #"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","post_id":null,"post_id":"p"}"#,
                .duplicateField, "post_id"
            ),
            (
                #"{"x":1,"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","x":{}}"#, .duplicateField,
                "x"
            ),
            // RFC 3339: a date that is not on the calendar.
            (
                #"{"event_id":"e","ts":"2025-02-30T00:00:00Z","creator_id":"c","user_id":"u","kind":"like"}"#,
                .wrongType, "ts"
            ),
        ] as [(String, RejectionReason, String?)])
    func rejections(text: String, reason: RejectionReason, field: String?) {
        #expect(Self.decode(text) == .rejected(Rejection(reason, field: field)), "\(text)")
    }

    @Test("null payload, oversize and invalid UTF-8 are rejected")
    func byteLevelRejections() {
        var decoder = EventDecoder(maxEventBytes: 64)
        #expect(decoder.decode(nil) == .rejected(Rejection(.emptyPayload)))
        let long =
            #"{"event_id":"e","ts":1,"creator_id":"c","user_id":"u","kind":"like","pad":"\#(String(repeating: "x", count: 64))"}"#
        #expect(Self.decode(long, decoder: &decoder) == .rejected(Rejection(.oversize)))
        let bad: [UInt8] =
            Array(#"{"event_id":"e","ts":1,"creator_id":"c"#.utf8) + [0xC3, 0x28]
            + Array(#"","user_id":"u","kind":"like"}"#.utf8)
        var big = EventDecoder()
        #expect(bad.withUnsafeBytes { big.decode($0) } == .rejected(Rejection(.invalidUTF8)))
        let garbage: [UInt8] = [0x00, 0xFF, 0x13, 0x37]
        #expect(garbage.withUnsafeBytes { big.decode($0) } == .rejected(Rejection(.invalidUTF8)))
    }

    @Test("an unknown kind is reported with its time and creator, for the pipeline's policy")
    func unknownKind() {
        var decoder = EventDecoder()
        let outcome = Self.decode(
            #"{"event_id":"eos","ts":42,"creator_id":"c9","user_id":"","kind":"eos"}"#, decoder: &decoder)
        guard case .unknownKind(let ts, let creator) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(ts == 42)
        #expect(decoder.creators.string(creator) == "c9")
    }

    @Test("follower snapshots carry their count")
    func followersSnapshot() {
        guard
            case .event(let event) = Self.decode(
                #"{"event_id":"e","ts":1,"creator_id":"c","kind":"followers","count":1200}"#)
        else {
            Issue.record("rejected")
            return
        }
        #expect(event.kind == .followers)
        #expect(event.count == 1200)
    }
}

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(
        "only calendar dates: the days of each month, February 29 in leap years alone",
        arguments: [
            ("2024-02-29T00:00:00Z", true), ("2023-02-29T00:00:00Z", false), ("2000-02-29T12:00:00Z", true),
            ("1900-02-29T12:00:00Z", false), ("2025-02-30T00:00:00Z", false), ("2025-04-31T00:00:00Z", false),
            ("2025-04-30T23:59:59Z", true), ("2025-12-31T23:59:59Z", true), ("2025-11-31T00:00:00Z", false),
            ("2025-01-00T00:00:00Z", false), ("2025-13-01T00:00:00Z", false),
        ])
    func calendar(text: String, valid: Bool) {
        #expect((RFC3339.milliseconds(text) != nil) == valid)
    }
}
