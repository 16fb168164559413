import Foundation
import Reports
import Synchronization

/// The board and the feed's status, shared between the thread that reads the topics and the HTTP server's event
/// loop. Every access takes the lock for the time of one call; JSON is rendered under it, so a page never sees half
/// a batch.
public final class DashboardState: Sendable {
    private struct Contents {
        var board: CommunityBoard
        var status = FeedStatus.connecting
        var statusVersion = 0
    }

    private let contents: Mutex<Contents>

    /// A state holding an empty board with `limits`.
    public init(limits: CommunityBoard.Limits = .init()) {
        contents = Mutex(Contents(board: CommunityBoard(limits: limits)))
    }

    /// Adds every JSON object line of `bytes` to the board.
    /// - Returns: how many records changed it.
    @discardableResult
    public func add(lines bytes: UnsafeRawBufferPointer) -> Int {
        var records: [[String: Any]] = []
        ResultLines.forEachObjectLine(in: bytes) { line in
            guard let object = ResultLines.object(line) else { return false }
            records.append(object)
            return true
        }
        return contents.withLock { contents in records.reduce(0) { $0 + (contents.board.add($1) ? 1 : 0) } }
    }

    /// Sets the feed's status.
    public func setStatus(_ status: FeedStatus) {
        contents.withLock { contents in
            guard contents.status != status else { return }
            contents.status = status
            contents.statusVersion += 1
        }
    }

    /// The current status.
    public var status: FeedStatus { contents.withLock { $0.status } }

    /// What a view has seen: the version of its data (the board's, or one creator's story) and of the status.
    public struct Version: Equatable, Sendable {
        var data: Int
        var status: Int
    }

    /// Changes whenever the leaderboard, the feed or the status does.
    public var version: Version {
        contents.withLock { Version(data: $0.board.version, status: $0.statusVersion) }
    }

    /// Changes whenever the creator's story or the status does.
    public func version(of creator: String) -> Version {
        contents.withLock { Version(data: $0.board.creatorVersion(creator), status: $0.statusVersion) }
    }

    /// The page's overview: status, leaderboard, feed and counts, as JSON.
    public func overviewJSON() -> [UInt8] {
        let object: [String: Any] = contents.withLock { contents in
            var object: [String: Any] = [
                "status": contents.status.name, "message": contents.status.message,
                "creators": contents.board.creatorCount, "evicted": contents.board.evictions,
                "leaderboard": contents.board.leaderboard(), "feed": contents.board.feed(),
            ]
            object["now"] = contents.board.now
            object["window_ms"] = contents.board.windowSize
            return object
        }
        return Self.json(object)
    }

    /// One creator's view as JSON (`{"creator": id, "tracked": false}` when the board does not hold it).
    public func creatorJSON(_ id: String) -> [UInt8] {
        let object: [String: Any] = contents.withLock { contents in
            var object = contents.board.creator(id) ?? ["creator": id, "tracked": false]
            object["status"] = contents.status.name
            object["message"] = contents.status.message
            return object
        }
        return Self.json(object)
    }

    /// One creator's chart, nil when there is nothing to draw.
    public func chart(_ id: String) -> String? { contents.withLock { $0.board.chart(id) } }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { Array($0) }
            ?? Array("{}".utf8)
    }
}
