import Engagement
import Yams

/// Turns the text of a pipeline file into a `PipelineSpec`, or into every problem it has.
public enum PipelineLoader {
    /// The longest grace accepted: a window waits `size + grace` of stream time before it closes, and results that
    /// wait more than a day are not what an alerting pipeline wants.
    public static let maxGrace: Int64 = 86_400_000

    /// Parses and validates `text`; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String) -> Result<PipelineSpec, PipelineErrors> {
        var reader = YAMLReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(PipelineErrors(diagnostics: [syntaxDiagnostic(error, file: file)]))
        } catch {
            return .failure(
                PipelineErrors(diagnostics: [
                    PipelineDiagnostic(file: file, line: 0, column: 0, path: "", message: "\(error)")
                ]))
        }
        guard let root else {
            return .failure(
                PipelineErrors(diagnostics: [
                    PipelineDiagnostic(
                        file: file, line: 0, column: 0, path: "", message: "empty file; expected a pipeline mapping")
                ]))
        }
        let spec = read(root, &reader)
        if let spec, reader.diagnostics.isEmpty { return .success(spec) }
        return .failure(
            PipelineErrors(diagnostics: reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
    }

    private static func read(_ root: Node, _ reader: inout YAMLReader) -> PipelineSpec? {
        let top = reader.mapping(
            root, "",
            allowed: [
                "version", "name", "source", "window", "aggregate", "detectors", "sinks", "bad_input", "state", "kafka",
            ],
            required: ["version", "name", "source", "window", "sinks"])
        guard let top else { return nil }
        if let version = top["version"], version.int != 1 {
            reader.report(version, "version", "expected 1, got \(YAMLReader.describe(version))")
        }
        let name = reader.string(top["name"], "name")
        let source = reader.mapping(
            top["source"], "source", allowed: ["topic", "group", "commit_every"], required: ["topic"])
        let topic = reader.string(source?["topic"], "source.topic")
        let group = source?["group"].flatMap { reader.string($0, "source.group") }
        let commitEvery = source?["commit_every"].flatMap {
            reader.duration($0, "source.commit_every", maximum: 60_000)
        }
        let sinks = reader.mapping(
            top["sinks"], "sinks",
            allowed: ["aggregates", "dead_letters", "spikes", "follower_health", "follower_drift"],
            required: ["aggregates", "dead_letters"])
        let aggregates = reader.string(sinks?["aggregates"], "sinks.aggregates")
        let deadLetters = reader.string(sinks?["dead_letters"], "sinks.dead_letters")
        let spikes = sinks?["spikes"].flatMap { reader.string($0, "sinks.spikes") }
        let health = sinks?["follower_health"].flatMap { reader.string($0, "sinks.follower_health") }
        let drift = sinks?["follower_drift"].flatMap { reader.string($0, "sinks.follower_drift") }
        let windows = window(top["window"], &reader)
        // Keep reading after a bad window so every section's problems are reported together.
        var job = EngagementJob.Settings(
            windows: windows?.spec ?? .hopping(HoppingWindows(size: 60_000, advance: 10_000, grace: 5_000)!))
        job.streamTime = windows?.streamTime ?? .partition
        job.emission = windows?.emission ?? .onClose
        aggregate(top["aggregate"], into: &job, &reader)
        badInput(top["bad_input"], into: &job, &reader)
        detectors(top["detectors"], into: &job, &reader)
        if sinks != nil {
            if job.detectors.spikes != nil && spikes == nil {
                reader.report(top["sinks"], "sinks.spikes", "missing; detectors.spikes writes its alerts there")
            }
            if job.detectors.followers != nil && health == nil {
                reader.report(
                    top["sinks"], "sinks.follower_health",
                    "missing; detectors.followers writes its health reports there")
            }
            if job.detectors.followers != nil && drift == nil {
                reader.report(
                    top["sinks"], "sinks.follower_drift", "missing; detectors.followers writes its drift alerts there")
            }
        }
        let state = reader.mapping(top["state"], "state", allowed: ["ttl", "topic", "checkpoint_every"])
        if let ttl = reader.duration(state?["ttl"], "state.ttl", minimum: 1000) { job.stateTTL = ttl }
        let stateTopic = state?["topic"].flatMap { reader.string($0, "state.topic") }
        let checkpointEvery = state?["checkpoint_every"].flatMap {
            reader.duration($0, "state.checkpoint_every", minimum: 100)
        }
        let kafka = properties(top["kafka"], &reader)
        guard let name, let topic, let aggregates, let deadLetters, windows != nil else { return nil }
        var spec = PipelineSpec(
            name: name, sourceTopic: topic, group: group ?? "resonance-\(name)",
            sinks: PipelineSpec.Sinks(
                aggregates: aggregates, deadLetters: deadLetters, spikes: spikes, followerHealth: health,
                followerDrift: drift),
            job: job, kafka: kafka,
            state: PipelineSpec.State(topic: stateTopic, checkpointEvery: checkpointEvery ?? 10_000))
        if let commitEvery { spec.commitEvery = commitEvery }
        return spec
    }

    enum WindowKind: String, CaseIterable { case hopping, tumbling, sliding, session }
    enum EmitChoice: String, CaseIterable {
        case onClose = "on_close"
        case onUpdate = "on_update"
    }

    private static func window(_ node: Node?, _ reader: inout YAMLReader) -> (
        spec: WindowSpec, streamTime: StreamTimeScope, emission: WindowEmission
    )? {
        let entries = reader.mapping(
            node, "window",
            allowed: ["kind", "size", "advance", "max_difference", "gap", "grace", "stream_time", "emit"],
            required: ["kind", "grace"])
        guard let entries, let kind = reader.choice(entries["kind"], "window.kind", as: WindowKind.self) else {
            return nil
        }
        let graceWhy = " (a window waits size + grace of stream time before it closes)"
        let grace = reader.duration(entries["grace"], "window.grace", maximum: maxGrace, why: graceWhy)
        let streamTime =
            entries["stream_time"].map { reader.choice($0, "window.stream_time", as: StreamTimeScope.self) }
            ?? .partition
        let emit = entries["emit"].map { reader.choice($0, "window.emit", as: EmitChoice.self) } ?? .onClose
        let needed: [String] =
            switch kind {
            case .hopping: ["size", "advance"]
            case .tumbling: ["size"]
            case .sliding: ["max_difference"]
            case .session: ["gap"]
            }
        for key in ["size", "advance", "max_difference", "gap"] where entries[key] != nil && !needed.contains(key) {
            reader.report(
                entries[key], "window.\(key)",
                "not used by \(kind.rawValue) windows; they take \(needed.joined(separator: " and "))")
        }
        for key in needed where entries[key] == nil {
            reader.report(node, "window.\(key)", "missing; \(kind.rawValue) windows require it")
        }
        let lengths = needed.map { key in entries[key].flatMap { reader.duration($0, "window.\(key)", minimum: 1) } }
        guard let grace, let streamTime, let emit, lengths.allSatisfy({ $0 != nil }) else { return nil }
        let emission: WindowEmission = emit == .onClose ? .onClose : .onUpdate
        let spec: WindowSpec
        switch kind {
        case .hopping, .tumbling:
            let size = lengths[0]!
            let advance = kind == .hopping ? lengths[1]! : size
            guard let hopping = HoppingWindows(size: size, advance: advance, grace: grace) else {
                reader.report(
                    entries["advance"], "window.advance",
                    "expected a duration that divides window.size (\(DurationText.format(size))) and is at most it")
                return nil
            }
            spec = .hopping(hopping)
        case .sliding: spec = .sliding(SlidingWindows(maxDifference: lengths[0]!, grace: grace)!)
        case .session: spec = .session(SessionWindows(gap: lengths[0]!, grace: grace)!)
        }
        return (spec, streamTime, emission)
    }

    /// `aggregate.engaged_kinds`: a non-empty list of counted kinds, each named once.
    private static func engagedKinds(_ node: Node, into job: inout EngagementJob.Settings, _ reader: inout YAMLReader) {
        let path = "aggregate.engaged_kinds"
        guard case .sequence(let list) = node, !list.isEmpty else {
            return reader.report(node, path, "expected a non-empty list of kinds, got \(YAMLReader.describe(node))")
        }
        var kinds: [InteractionKind] = []
        for item in list {
            guard let name = item.scalar?.string, let kind = InteractionKind.counted.first(where: { $0.name == name })
            else {
                let names = InteractionKind.counted.map(\.name).joined(separator: ", ")
                reader.report(item, path, "expected one of \(names), got \(YAMLReader.describe(item))")
                continue
            }
            guard !kinds.contains(kind) else {
                reader.report(item, path, "'\(name)' is listed twice")
                continue
            }
            kinds.append(kind)
        }
        job.engagedKinds = EngagedKinds(kinds)
    }

    private static func aggregate(_ node: Node?, into job: inout EngagementJob.Settings, _ reader: inout YAMLReader) {
        guard
            let entries = reader.mapping(
                node, "aggregate",
                allowed: ["weights", "engaged_kinds", "distinct_users", "activity_horizon", "track_posts"])
        else { return }
        let kinds = InteractionKind.counted.map(\.name)
        if let engaged = entries["engaged_kinds"] { engagedKinds(engaged, into: &job, &reader) }
        if let weights = reader.mapping(entries["weights"], "aggregate.weights", allowed: kinds) {
            var values: [InteractionKind: Double] = [:]
            for kind in InteractionKind.counted {
                if let weight = reader.number(
                    weights[kind.name], "aggregate.weights.\(kind.name)", atMost: EngagementWeights.maximum)
                {
                    values[kind] = weight
                }
            }
            job.weights = EngagementWeights(values)
        }
        if let mode = entries["distinct_users"].flatMap({
            reader.choice($0, "aggregate.distinct_users", as: DistinctUsersMode.self)
        }) {
            job.distinctUsers = mode
        }
        if let horizon = entries["activity_horizon"] {
            job.activityHorizon =
                horizon.scalar?.string == "none"
                ? nil : reader.duration(horizon, "aggregate.activity_horizon", minimum: 1000)
        }
        if let track = entries["track_posts"].flatMap({ reader.bool($0, "aggregate.track_posts") }) {
            job.tracksPosts = track
        }
    }

    private static func badInput(_ node: Node?, into job: inout EngagementJob.Settings, _ reader: inout YAMLReader) {
        guard
            let entries = reader.mapping(
                node, "bad_input",
                allowed: ["max_event_bytes", "unknown_kinds", "max_future_skew", "max_past_skew", "reanchor_after"])
        else { return }
        if let size = entries["max_event_bytes"] {
            if let bytes = size.int, size.scalar?.style == .plain, bytes >= 64, bytes <= 1_000_000 {
                job.maxEventBytes = bytes
            } else {
                reader.report(
                    size, "bad_input.max_event_bytes",
                    "expected an integer number of bytes from 64 to 1000000 (librdkafka's default message.max.bytes), got \(YAMLReader.describe(size))"
                )
            }
        }
        if let policy = entries["unknown_kinds"].flatMap({
            reader.choice($0, "bad_input.unknown_kinds", as: EngagementJob.UnknownKindPolicy.self)
        }) {
            job.unknownKinds = policy
        }
        if let skew = entries["max_future_skew"].flatMap({
            reader.duration($0, "bad_input.max_future_skew", minimum: 1000)
        }) {
            job.maxFutureSkew = skew
        }
        if let skew = entries["max_past_skew"].flatMap({ reader.duration($0, "bad_input.max_past_skew", minimum: 1000) }
        ) {
            job.maxPastSkew = skew
        }
        if let count = entries["reanchor_after"] {
            if let records = count.int, count.scalar?.style == .plain, records >= 1, records <= 1_000_000 {
                job.reanchorAfter = records
            } else {
                reader.report(
                    count, "bad_input.reanchor_after",
                    "expected an integer number of records from 1 to 1000000, got \(YAMLReader.describe(count))")
            }
        }
    }

    private static func properties(_ node: Node?, _ reader: inout YAMLReader) -> [String: String] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            reader.report(
                node, "kafka", "expected a mapping of librdkafka properties to values, got \(YAMLReader.describe(node))"
            )
            return [:]
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let text = value.scalar?.string else {
                reader.report(value, "kafka", "expected property: value pairs of scalars")
                continue
            }
            result[name] = text
        }
        return result
    }

    private static func syntaxDiagnostic(_ error: YamlError, file: String) -> PipelineDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            PipelineDiagnostic(
                file: file, line: mark.line, column: mark.column, path: "", message: "not valid YAML: \(problem)")
        default:
            PipelineDiagnostic(file: file, line: 0, column: 0, path: "", message: "not valid YAML: \(error)")
        }
    }
}
