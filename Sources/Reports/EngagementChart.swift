import Foundation

/// Draws a `CreatorStory` as an SVG chart for people: engagement score over time (left axis), spikes shaded from
/// onset to end, the dormant share of followers on a second axis (right, 0–100 %), drift alerts as marked lines.
/// Self-contained SVG 1.1 (no scripts, no external fonts), so any browser or image viewer opens it.
public struct EngagementChart: Sendable {
    /// Canvas size in pixels.
    public var width = 1200
    public var height = 560
    /// The most buckets the engagement line is drawn with.
    public var maxBuckets = 360

    private let left = 90.0, right = 90.0, top = 80.0, bottom = 70.0

    public init() {}

    private struct Plot {
        var x, y, width, height: Double
    }

    /// The SVG document, or nil when the story has nothing to draw.
    public func svg(_ story: CreatorStory) -> String? {
        guard !story.isEmpty, let span = story.span else { return nil }
        let sizes: [Int64] = story.windows.map { $0.end - $0.start }.filter { $0 > 0 }
        let windowSize: Int64 = sizes.min() ?? 60_000
        let bucket: Int64 = ChartScale.bucketWidth(span: span.upperBound - span.lowerBound, atLeast: windowSize, buckets: maxBuckets)
        let start: Int64 = span.lowerBound - span.lowerBound % bucket
        let count = max(1, Int((span.upperBound - start + bucket - 1) / bucket))
        let engagement = story.engagement(from: start, bucket: bucket, count: count)
        let end: Int64 = start + Int64(count) * bucket
        let plot = Plot(x: left, y: top, width: Double(width) - left - right, height: Double(height) - top - bottom)
        let x = { (time: Int64) -> Double in plot.x + plot.width * Double(time - start) / Double(end - start) }
        let scoreTicks = ChartScale.ticks(upTo: engagement.max() ?? 0)
        let scoreTop: Double = scoreTicks.last ?? 1
        let yScore = { (score: Double) -> Double in plot.y + plot.height * (1 - score / scoreTop) }
        let yShare = { (share: Double) -> Double in plot.y + plot.height * (1 - share) }

        var svg = SVGWriter(width: width, height: height)
        svg.rect(x: 0, y: 0, width: Double(width), height: Double(height), fill: "#ffffff")
        svg.text("Engagement of \(story.creator)", x: left, y: 32, size: 20, weight: "bold")
        let counts = "\(story.spikes.count) spike\(story.spikes.count == 1 ? "" : "s"), \(story.drifts.count) drift alert\(story.drifts.count == 1 ? "" : "s")"
        svg.text("\(ChartTime.label(start, span: end - start, long: true)) – \(ChartTime.label(end, span: end - start, long: true)) UTC · \(counts) · score per \(ChartTime.duration(bucket))",
                 x: left, y: 56, size: 13, fill: "#555555")

        for spike in story.spikes {
            let shadeStart: Double = x(max(spike.onset, start))
            let shadeEnd: Double = x(min(spike.end ?? end, end))
            svg.rect(x: shadeStart, y: plot.y, width: max(2, shadeEnd - shadeStart), height: plot.height, fill: "#e4572e", opacity: 0.18)
            let label = spike.severity.map { String(format: "spike %.0fσ", $0) } ?? "spike"
            svg.text(label, x: shadeStart + 3, y: plot.y + 14, size: 11, fill: "#b8391a")
        }
        for tick in scoreTicks {
            svg.line(x1: plot.x, y1: yScore(tick), x2: plot.x + plot.width, y2: yScore(tick), stroke: "#e6e6e6")
            svg.text(ChartScale.label(tick), x: plot.x - 8, y: yScore(tick) + 4, size: 11, anchor: "end", fill: "#1f5fa8")
        }
        for tick in ChartTime.ticks(from: start, to: end) {
            svg.line(x1: x(tick), y1: plot.y + plot.height, x2: x(tick), y2: plot.y + plot.height + 5, stroke: "#333333")
            svg.text(ChartTime.label(tick, span: end - start, long: false), x: x(tick), y: plot.y + plot.height + 20, size: 11, anchor: "middle")
        }
        svg.line(x1: plot.x, y1: plot.y + plot.height, x2: plot.x + plot.width, y2: plot.y + plot.height, stroke: "#333333")
        svg.line(x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.y + plot.height, stroke: "#1f5fa8")
        svg.text("engagement score per \(ChartTime.duration(bucket))", x: 22, y: plot.y + plot.height / 2, size: 12, anchor: "middle",
                 fill: "#1f5fa8", rotate: -90)

        var points: [(Double, Double)] = []
        for (index, score) in engagement.enumerated() {
            let y = yScore(score)
            points.append((x(start + Int64(index) * bucket), y))
            points.append((x(start + Int64(index + 1) * bucket), y))
        }
        svg.polyline(points, stroke: "#1f5fa8", width: 1.4, fill: "none")

        if !story.health.isEmpty {
            svg.line(x1: plot.x + plot.width, y1: plot.y, x2: plot.x + plot.width, y2: plot.y + plot.height, stroke: "#d98e04")
            for share in stride(from: 0.0, through: 1.0, by: 0.25) {
                svg.text("\(Int(share * 100)) %", x: plot.x + plot.width + 8, y: yShare(share) + 4, size: 11, fill: "#a86d00")
            }
            svg.text("dormant share of followers", x: Double(width) - 22, y: plot.y + plot.height / 2, size: 12, anchor: "middle",
                     fill: "#a86d00", rotate: 90)
            let reports = story.health.sorted { $0.asOf < $1.asOf }
            svg.polyline(reports.map { (x($0.asOf), yShare($0.dormantShare)) }, stroke: "#d98e04", width: 2, fill: "none")
        }
        for (index, drift) in story.drifts.sorted(by: { $0.onset < $1.onset }).enumerated() {
            svg.line(x1: x(drift.onset), y1: plot.y, x2: x(drift.onset), y2: plot.y + plot.height, stroke: "#d98e04", dash: "6 4", width: 1.5)
            svg.text(String(format: "drift %.0f → %.0f %%", drift.shareBefore * 100, drift.shareAfter * 100), x: x(drift.onset) + 4,
                     y: plot.y + plot.height - 8 - Double(index % 4) * 14, size: 11, fill: "#a86d00")
        }

        let legendY = Double(height) - 18
        svg.rect(x: left, y: legendY - 10, width: 14, height: 10, fill: "#1f5fa8")
        svg.text("engagement score", x: left + 20, y: legendY, size: 12)
        svg.rect(x: left + 160, y: legendY - 10, width: 14, height: 10, fill: "#e4572e", opacity: 0.35)
        svg.text("community spike", x: left + 180, y: legendY, size: 12)
        if story.health.isEmpty {
            svg.text("no follower-health reports in range", x: left + 320, y: legendY, size: 12, fill: "#777777")
        } else {
            svg.rect(x: left + 320, y: legendY - 10, width: 14, height: 10, fill: "#d98e04")
            svg.text("dormant share · dashed: drift alert", x: left + 340, y: legendY, size: 12)
        }
        return svg.document
    }
}
