import Detectors
import Testing

@Suite("Hot posts")
struct HotPostsTests {
    @Test("the heaviest posts of a key come first; decay forgets old ones; keys are independent")
    func ranking() {
        var posts = HotPosts()
        for _ in 0..<10 { posts.add(key: 3, post: 7, weight: 1) }
        for _ in 0..<4 { posts.add(key: 3, post: 8, weight: 1) }
        posts.add(key: 0, post: 1, weight: 5)
        #expect(posts.top(key: 3).map(\.post) == [7, 8])
        #expect(posts.top(key: 0).map(\.post) == [1])
        for _ in 0..<20 { posts.decay(key: 3) }
        for _ in 0..<3 { posts.add(key: 3, post: 9, weight: 1) }
        #expect(posts.top(key: 3).first?.post == 9)
        #expect(posts.top(key: 99).isEmpty)
    }
}
