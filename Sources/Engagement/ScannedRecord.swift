/// A record value read once ahead of its decoding (`EventDecoder.scan`): size and UTF-8 checked, the fields of compact
/// JSON located, and the creator and user ids hashed, their interner slots already loading. Decoding it later
/// (`EventDecoder.decode(_:)`) touches the bytes again only to intern ids and read the kind, so the bytes must stay
/// unchanged until then. Plain data, a few cache lines' worth of it: it is copied in and out of a lookahead ring.
public struct ScannedRecord {
    /// The record value scanned (nil: a tombstone).
    public let value: UnsafeRawBufferPointer?
    /// Why the record is bad before any field is read, or nil.
    let rejection: RejectionReason?
    /// Whether `fields` were located by the compact-JSON scan; if not (and not rejected) the general path decodes it,
    /// and says precisely what is wrong when it is bad.
    let isCompact: Bool
    let fields: EventDecoder.Fields
    /// The interner hashes of the creator and user ids located (unused when absent).
    let creatorHash: UInt32
    let userHash: UInt32

    /// The probe of the record's `creator_id`, for starting to load the creator's state before the record is decoded.
    public var creatorProbe: Interner.Probe? {
        guard isCompact, let value, let creator = fields.creator else { return nil }
        return Interner.Probe(UnsafeRawBufferPointer(rebasing: value[creator.range]), hash: creatorHash)
    }
}
