/// Decodes interaction events (schema v1, `Schemas/interaction-event.v1.json`) from raw JSON bytes.
///
/// No Foundation, no `String` per event: ids are interned from the bytes (escaped ids are unescaped into a reused
/// scratch buffer first). Unknown fields are validated and ignored. Time is not checked here: stream-time bounds
/// are the window stage's business (`timestamp_out_of_range`).
public struct EventDecoder: Sendable {
    /// Largest accepted record, in bytes.
    public var maxEventBytes: Int
    /// Interned `creator_id`s.
    public var creators = Interner()
    /// Interned `user_id`s.
    public var users = Interner()
    /// Interned `post_id`s.
    public var posts = Interner()
    /// Interned `community` tags.
    public var communities = Interner()
    private var scratch: [UInt8] = []

    /// Creates a decoder rejecting records over `maxEventBytes` (default 64 KiB).
    public init(maxEventBytes: Int = 64 * 1024) {
        self.maxEventBytes = maxEventBytes
    }

    /// Decodes one record value; nil `bytes` (a tombstone) is an empty payload.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer?) -> DecodeOutcome {
        guard let bytes, !bytes.isEmpty else { return .rejected(Rejection(.emptyPayload)) }
        guard bytes.count <= maxEventBytes else { return .rejected(Rejection(.oversize)) }
        guard UTF8Validation.isValid(bytes) else { return .rejected(Rejection(.invalidUTF8)) }
        var fields = Fields()
        var scanner = JSONScanner(bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return .rejected(Rejection(.invalidJSON)) }
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let name = scanner.string(), scanner.consume(UInt8(ascii: ":")) else {
                    return .rejected(Rejection(.invalidJSON))
                }
                let field = Field(UnsafeRawBufferPointer(rebasing: bytes[name.range]))
                if let problem = read(field, &scanner, &fields) { return .rejected(problem) }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return .rejected(Rejection(.invalidJSON)) }
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { return .rejected(Rejection(.invalidJSON)) }
        return finish(fields, bytes)
    }

    private enum Field {
        case eventID, ts, creatorID, userID, kind, postID, community, count, other
        init(_ name: UnsafeRawBufferPointer) {
            switch name.count {
            case 2 where name.elementsEqual("ts".utf8): self = .ts
            case 4 where name.elementsEqual("kind".utf8): self = .kind
            case 5 where name.elementsEqual("count".utf8): self = .count
            case 7 where name.elementsEqual("user_id".utf8): self = .userID
            case 7 where name.elementsEqual("post_id".utf8): self = .postID
            case 8 where name.elementsEqual("event_id".utf8): self = .eventID
            case 9 where name.elementsEqual("community".utf8): self = .community
            case 10 where name.elementsEqual("creator_id".utf8): self = .creatorID
            default: self = .other
            }
        }
    }

    private struct Fields {
        var hasEventID = false
        var ts: Int64?
        var creator: (Range<Int>, Bool)?
        var user: (Range<Int>, Bool)?
        var kind: (Range<Int>, Bool)?
        var post: (Range<Int>, Bool)?
        var community: (Range<Int>, Bool)?
        var count: Int64?
    }

    private func read(_ field: Field, _ scanner: inout JSONScanner, _ fields: inout Fields) -> Rejection? {
        func text(_ name: String) -> Result<(Range<Int>, Bool), Rejection> {
            switch scanner.peek() {
            case UInt8(ascii: "\""):
                guard let string = scanner.string() else { return .failure(Rejection(.invalidJSON)) }
                return .success((string.range, string.escaped))
            case nil: return .failure(Rejection(.invalidJSON))
            default:
                return .failure(scanner.skipValue() ? Rejection(.wrongType, field: name) : Rejection(.invalidJSON))
            }
        }
        func capture(_ name: String, into slot: inout (Range<Int>, Bool)?) -> Rejection? {
            switch text(name) {
            case .success(let value): slot = value; return nil
            case .failure(let rejection): return rejection
            }
        }
        switch field {
        case .eventID:
            var ignored: (Range<Int>, Bool)?
            fields.hasEventID = true
            return capture("event_id", into: &ignored)
        case .creatorID: return capture("creator_id", into: &fields.creator)
        case .userID: return capture("user_id", into: &fields.user)
        case .kind: return capture("kind", into: &fields.kind)
        case .postID: return optionalText("post_id", &scanner, into: &fields.post)
        case .community: return optionalText("community", &scanner, into: &fields.community)
        case .ts:
            if scanner.peek() == UInt8(ascii: "\"") {
                guard let string = scanner.string() else { return Rejection(.invalidJSON) }
                guard !string.escaped, let ms = RFC3339.milliseconds(UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range])) else {
                    return Rejection(.wrongType, field: "ts")
                }
                fields.ts = ms
                return nil
            }
            return integer("ts", &scanner, into: &fields.ts)
        case .count: return integer("count", &scanner, into: &fields.count)
        case .other: return scanner.skipValue() ? nil : Rejection(.invalidJSON)
        }
    }

    private func optionalText(_ name: String, _ scanner: inout JSONScanner, into slot: inout (Range<Int>, Bool)?) -> Rejection? {
        if scanner.peek() == UInt8(ascii: "n") { return scanner.literal("null") ? nil : Rejection(.invalidJSON) }
        guard scanner.peek() == UInt8(ascii: "\"") else {
            return scanner.skipValue() ? Rejection(.wrongType, field: name) : Rejection(.invalidJSON)
        }
        guard let string = scanner.string() else { return Rejection(.invalidJSON) }
        slot = (string.range, string.escaped)
        return nil
    }

    private func integer(_ name: String, _ scanner: inout JSONScanner, into slot: inout Int64?) -> Rejection? {
        guard let next = scanner.peek() else { return Rejection(.invalidJSON) }
        guard next == UInt8(ascii: "-") || next &- UInt8(ascii: "0") < 10 else {
            return scanner.skipValue() ? Rejection(.wrongType, field: name) : Rejection(.invalidJSON)
        }
        guard let number = scanner.number() else { return Rejection(.invalidJSON) }
        guard number.integer, let value = Self.parseInt64(UnsafeRawBufferPointer(rebasing: scanner.bytes[number.range])) else {
            return Rejection(.wrongType, field: name)
        }
        slot = value
        return nil
    }

    private mutating func finish(_ fields: Fields, _ bytes: UnsafeRawBufferPointer) -> DecodeOutcome {
        guard fields.hasEventID else { return .rejected(Rejection(.missingField, field: "event_id")) }
        guard let ts = fields.ts else { return .rejected(Rejection(.missingField, field: "ts")) }
        guard let creatorField = fields.creator, !creatorField.0.isEmpty else {
            return .rejected(Rejection(.missingField, field: "creator_id"))
        }
        guard let kindField = fields.kind else { return .rejected(Rejection(.missingField, field: "kind")) }
        let creator = intern(creatorField, bytes, into: \.creators)
        guard let kind = InteractionKind(bytes: UnsafeRawBufferPointer(rebasing: bytes[kindField.0])), !kindField.1 else {
            return .unknownKind(timestamp: ts, creator: creator)
        }
        var event = InteractionEvent(timestamp: ts, creator: creator, user: InteractionEvent.none, kind: kind)
        if kind == .followers {
            guard let count = fields.count else { return .rejected(Rejection(.missingField, field: "count")) }
            guard count >= 0 else { return .rejected(Rejection(.wrongType, field: "count")) }
            event.count = count
        } else {
            guard let userField = fields.user, !userField.0.isEmpty else {
                return .rejected(Rejection(.missingField, field: "user_id"))
            }
            event.user = intern(userField, bytes, into: \.users)
        }
        if let post = fields.post { event.post = intern(post, bytes, into: \.posts) }
        if let community = fields.community { event.community = intern(community, bytes, into: \.communities) }
        return .event(event)
    }

    private mutating func intern(_ field: (Range<Int>, Bool), _ bytes: UnsafeRawBufferPointer, into interner: WritableKeyPath<EventDecoder, Interner>) -> UInt32 {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.0])
        guard field.1 else { return self[keyPath: interner].intern(raw) }
        scratch.removeAll(keepingCapacity: true)
        JSONUnescape.append(raw, to: &scratch)
        let unescaped = scratch
        return unescaped.withUnsafeBytes { self[keyPath: interner].intern($0) }
    }

    static func parseInt64(_ digits: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: Int64 = 0
        while index < digits.count {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digits[index] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }
}
