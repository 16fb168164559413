/// The posts drawing the most engagement per key, recently: a four-slot Space-Saving sketch per key (an unseen post
/// takes over the lightest slot, inheriting its weight), halved at every `decay()`, so a spike can name the posts
/// behind it. Flat arrays, no allocation per update.
public struct HotPosts: Sendable, Equatable {
    static let slots = 4
    var posts: [UInt32] = []
    var weights: [Float] = []

    /// Creates an empty sketch.
    public init() {}

    /// Adds `weight` of engagement on `post` for `key`.
    public mutating func add(key: UInt32, post: UInt32, weight: Float) {
        let base = Int(key) * Self.slots
        if base + Self.slots > posts.count {
            let needed = base + Self.slots - posts.count
            posts += repeatElement(.max, count: needed)
            weights += repeatElement(0, count: needed)
        }
        var lightest = base
        for slot in base..<base + Self.slots {
            if posts[slot] == post {
                weights[slot] += weight
                return
            }
            if weights[slot] < weights[lightest] { lightest = slot }
        }
        posts[lightest] = post
        weights[lightest] += weight
    }

    /// Halves every weight of `key`.
    public mutating func decay(key: UInt32) {
        let base = Int(key) * Self.slots
        guard base + Self.slots <= weights.count else { return }
        for slot in base..<base + Self.slots { weights[slot] *= 0.5 }
    }

    /// The posts of `key`, heaviest first, with their weights (upper bounds, as in Space-Saving).
    public func top(key: UInt32) -> [(post: UInt32, weight: Float)] {
        let base = Int(key) * Self.slots
        guard base + Self.slots <= posts.count else { return [] }
        return (base..<base + Self.slots).filter { posts[$0] != .max && weights[$0] > 0 }
            .map { (posts[$0], weights[$0]) }.sorted { $0.weight > $1.weight }
    }

    /// Renumbers keys after compaction (`mapping[old]` = new key, `UInt32.max` = dropped).
    public mutating func remap(keys mapping: [UInt32]) {
        var movedPosts = [UInt32](), movedWeights = [Float]()
        for (old, new) in mapping.enumerated() where new != .max && (old + 1) * Self.slots <= posts.count {
            let target = Int(new) * Self.slots
            if target + Self.slots > movedPosts.count {
                movedPosts += repeatElement(.max, count: target + Self.slots - movedPosts.count)
                movedWeights += repeatElement(0, count: target + Self.slots - movedWeights.count)
            }
            for slot in 0..<Self.slots {
                movedPosts[target + slot] = posts[old * Self.slots + slot]
                movedWeights[target + slot] = weights[old * Self.slots + slot]
            }
        }
        posts = movedPosts
        weights = movedWeights
    }
}
