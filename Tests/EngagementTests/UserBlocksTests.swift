@testable import Engagement
import Testing

@Suite("User blocks: many growable lists in one array")
struct UserBlocksTests {
    @Test("random appends, reservations, releases and a relocation keep every list equal to its own array")
    func randomOperations() {
        var random = RandomStream(state: 7)
        var blocks = UserBlocks()
        var lists = [UserBlocks.List](repeating: UserBlocks.List(), count: 64)
        var model = [[UInt32]](repeating: [], count: 64)
        for step in 0..<200_000 {
            let index = random.next(lists.count)
            switch random.next(100) {
            case 0..<90:
                let user = UInt32(random.next(1_000_000))
                blocks.append(user, to: &lists[index])
                model[index].append(user)
            case 90..<93:
                blocks.reserve(random.next(300), for: &lists[index])
            default:
                blocks.release(&lists[index])
                model[index] = []
            }
            if step == 150_000 {
                var fresh = UserBlocks()
                for list in lists.indices { blocks.relocate(&lists[list], into: &fresh) }
                blocks = fresh
            }
        }
        for index in lists.indices {
            #expect(blocks.users(of: lists[index]) == model[index])
            #expect(lists[index].count == model[index].count)
        }
        // Every block held is a power of two at least the list's length; free blocks are reused, so the array holds
        // no more than twice what the lists hold, plus the free blocks of the sizes released last.
        let held = lists.reduce(0) { $0 + Int($1.capacity) }
        #expect(held == blocks.heldWords)
        #expect(lists.allSatisfy { $0.capacity == 0 || ($0.capacity.nonzeroBitCount == 1 && $0.capacity >= $0.count) })
    }

    @Test("copies are independent: the owner's value semantics hold")
    func copies() {
        var blocks = UserBlocks()
        var list = UserBlocks.List()
        for user in 0..<10 { blocks.append(UInt32(user), to: &list) }
        let before = blocks
        let original = list
        var copiedList = list
        blocks.append(99, to: &list)
        var copy = before
        copy.append(7, to: &copiedList)
        #expect(blocks.users(of: list) == Array(0..<10) + [99])
        #expect(copy.users(of: copiedList) == Array(0..<10) + [7])
        #expect(before.users(of: original) == Array(0..<10))
    }
}
