import CPrefetch

/// Growable lists of user ids kept together in one array, each in a block whose size is a power of two: a full list
/// moves to a block twice as large, and a released block is reused by the next list that needs one of its size.
///
/// What it saves over an array per list: an append writes one word at an index the caller already holds (`List`, kept
/// in the caller's own state), where a separate array first loads its header — a cache miss per event when the lists
/// are many and written rarely — and checks its reference count; and no list costs an allocation or reference
/// counting. Copying the owner copies the lists (one array underneath), so value semantics hold.
struct UserBlocks {
    /// One list: where its block lies in the array and how many ids it holds.
    struct List {
        fileprivate(set) var offset: UInt32 = 0
        fileprivate(set) var count: UInt32 = 0
        /// The block's size in ids; 0 before the first id.
        fileprivate(set) var capacity: UInt32 = 0
    }

    /// The smallest block, in ids.
    static let smallestBlock: UInt32 = 4

    private var words: [UInt32] = []
    /// The first free block of each size (index: log2 of the size); a free block holds the next one's offset in its
    /// first word, and `.max` ends a chain.
    private var freeBlocks = [UInt32](repeating: .max, count: UInt32.bitWidth)
    /// Ids' worth of blocks held by lists.
    private(set) var heldWords = 0

    /// Ids' worth of blocks, held or free.
    var capacityWords: Int { words.count }

    /// Whether most of the array is free blocks: worth moving the lists into a fresh one (`relocate`).
    var isSparse: Bool { words.count > 1 << 16 && heldWords * 4 < words.count }

    /// Appends `user` to `list`.
    @inline(__always)
    mutating func append(_ user: UInt32, to list: inout List) {
        if list.count == list.capacity { move(&list, toCapacity: max(Self.smallestBlock, list.capacity * 2)) }
        words[Int(list.offset + list.count)] = user
        list.count += 1
    }

    /// Gives `list` room for `capacity` ids without moving again.
    mutating func reserve(_ capacity: Int, for list: inout List) {
        guard capacity > list.capacity else { return }
        move(&list, toCapacity: max(Self.smallestBlock, UInt32(capacity).nextPowerOfTwo))
    }

    /// Frees `list`'s block and empties it.
    mutating func release(_ list: inout List) {
        if list.capacity > 0 {
            let sizeClass = list.capacity.trailingZeroBitCount
            words[Int(list.offset)] = freeBlocks[sizeClass]
            freeBlocks[sizeClass] = list.offset
            heldWords -= Int(list.capacity)
        }
        list = List()
    }

    /// Calls `body` with the ids of `list`, in the order appended.
    @inline(__always)
    func withUsers<Result>(of list: List, _ body: (UnsafeBufferPointer<UInt32>) -> Result) -> Result {
        words.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(list.offset)..<Int(list.offset + list.count)])) }
    }

    /// The ids of `list`, copied out.
    func users(of list: List) -> [UInt32] { withUsers(of: list) { Array($0) } }

    /// Starts loading the ids of `list`: every cache line of a short list, the first few of a long one (the
    /// hardware's own prefetching follows a long one as it is read).
    @inline(__always)
    func prefetch(_ list: List) {
        guard list.count > 0 else { return }
        words.withUnsafeBufferPointer { words in
            let first = UInt(bitPattern: words.baseAddress! + Int(list.offset))
            let end = min(first + UInt(list.count) * 4, first + 4 * 64)
            for line in stride(from: first & ~63, to: end, by: 64) { resonance_prefetch(UnsafeRawPointer(bitPattern: line)!) }
        }
    }

    /// Renames every id of `list`: `mapping[old]` is the new id.
    mutating func remap(_ list: List, _ mapping: [UInt32]) {
        for index in Int(list.offset)..<Int(list.offset + list.count) { words[index] = AudienceEntry.remap(words[index], mapping) }
    }

    /// Moves `list` into `other` (a fresh array being filled), in a block just large enough.
    func relocate(_ list: inout List, into other: inout UserBlocks) {
        var moved = List()
        other.reserve(Int(list.count), for: &moved)
        withUsers(of: list) { users in for user in users { other.append(user, to: &moved) } }
        list = moved
    }

    private mutating func move(_ list: inout List, toCapacity capacity: UInt32) {
        let offset = allocate(capacity)
        for index in 0..<Int(list.count) { words[Int(offset) + index] = words[Int(list.offset) + index] }
        let count = list.count
        release(&list)
        list = List(offset: offset, count: count, capacity: capacity)
    }

    private mutating func allocate(_ size: UInt32) -> UInt32 {
        heldWords += Int(size)
        let sizeClass = size.trailingZeroBitCount
        let free = freeBlocks[sizeClass]
        if free != .max {
            freeBlocks[sizeClass] = words[Int(free)]
            return free
        }
        precondition(words.count + Int(size) < Int(UInt32.max), "user lists beyond 2^32 ids")
        let offset = UInt32(words.count)
        words.append(contentsOf: repeatElement(0, count: Int(size)))
        return offset
    }
}

private extension UInt32 {
    /// The least power of two at or above this value (which must be at most 2^31).
    var nextPowerOfTwo: UInt32 { self <= 1 ? 1 : 1 << (UInt32.bitWidth - (self - 1).leadingZeroBitCount) }
}
