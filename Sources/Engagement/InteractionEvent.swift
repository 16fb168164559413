/// One decoded interaction: compact, with ids interned by the decoder that produced it.
public struct InteractionEvent: Sendable, Equatable {
    /// Marks an absent optional id (`post`, `community`).
    public static let none = UInt32.max

    /// Event time, epoch milliseconds.
    public var timestamp: Int64
    /// Interned `creator_id`.
    public var creator: UInt32
    /// Interned `user_id`.
    public var user: UInt32
    /// What happened.
    public var kind: InteractionKind
    /// Interned `post_id`, or `none`.
    public var post: UInt32
    /// Interned `community`, or `none`.
    public var community: UInt32
    /// The follower count of a `followers` snapshot; 0 otherwise.
    public var count: Int64

    /// Creates an event.
    public init(
        timestamp: Int64, creator: UInt32, user: UInt32, kind: InteractionKind,
        post: UInt32 = InteractionEvent.none, community: UInt32 = InteractionEvent.none, count: Int64 = 0
    ) {
        self.timestamp = timestamp
        self.creator = creator
        self.user = user
        self.kind = kind
        self.post = post
        self.community = community
        self.count = count
    }
}

/// Why an input record was rejected; the raw value is the reason code written to dead-letter headers.
public enum RejectionReason: String, Sendable, CaseIterable {
    case invalidJSON = "invalid_json"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case unknownKind = "unknown_kind"
    case emptyPayload = "empty_payload"
    case oversize = "oversize"
    case invalidUTF8 = "invalid_utf8"
    case timestampOutOfRange = "timestamp_out_of_range"
    case duplicateField = "duplicate_field"
}

/// A rejection with the field it concerns, when there is one.
public struct Rejection: Error, Sendable, Equatable {
    /// The reason code.
    public var reason: RejectionReason
    /// The offending field (`ts`, `kind`, …), or nil.
    public var field: String?

    /// Creates a rejection.
    public init(_ reason: RejectionReason, field: String? = nil) {
        self.reason = reason
        self.field = field
    }
}

/// What decoding one record gave.
public enum DecodeOutcome: Sendable, Equatable {
    /// A valid event.
    case event(InteractionEvent)
    /// A well-formed record whose `kind` is not one we know (forward compatibility, end-of-stream sentinels): it may
    /// still advance stream time, or be rejected, as the pipeline's policy says.
    case unknownKind(timestamp: Int64, creator: UInt32)
    /// A record that is not a valid event.
    case rejected(Rejection)
}
