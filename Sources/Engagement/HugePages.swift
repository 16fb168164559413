#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#endif

/// Large hash tables (the id interners, the follower ledger) are probed at random: with 4 KiB pages every probe of
/// a table of tens of MB costs a TLB miss, and filling a new table costs a page fault per 4 KiB. Arrays made here
/// ask the kernel for transparent huge pages (2 MiB) before their memory is first touched; where THP is off or
/// unavailable they are ordinary arrays.
enum HugePages {
    static let size = 2 << 20

    /// An array of `count` copies of `value`, its storage advised to use huge pages when it spans at least one.
    static func array<Element>(repeating value: Element, count: Int) -> [Element] {
        guard count * MemoryLayout<Element>.stride >= 2 * size else { return Array(repeating: value, count: count) }
        return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Element>.stride)
            }
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// Advises the whole 2 MiB pages inside `[pointer, pointer + byteCount)` to be backed by huge pages.
    static func advise(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
            let start = (Int(bitPattern: pointer) + size - 1) & ~(size - 1)
            let end = (Int(bitPattern: pointer) + byteCount) & ~(size - 1)
            guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
