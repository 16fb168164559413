import RdKafka
import Reports

/// How `resonance consume` prints records.
public enum RecordFormat: String, CaseIterable, Sendable {
    /// The value as is, one per line (result topics carry JSON, so this is JSON Lines).
    case json
    /// One JSON object per record with topic, partition, offset, timestamp, key, headers and value (like kcat -J).
    case envelope
    /// A readable view for people watching live (see `RecordTable`).
    case table

    /// Appends one formatted record and a newline to `output`; `table` keeps the table view's headers in step.
    func append(_ record: KafkaRecord, to output: inout [UInt8], table: inout RecordTable) {
        switch self {
        case .json:
            if let value = record.value { output.append(contentsOf: value) } else { output.append(contentsOf: Self.null) }
        case .envelope:
            appendEnvelope(record, to: &output)
        case .table:
            output.append(contentsOf: table.lines(topic: record.topic, value: record.value).utf8)
        }
        output.append(0x0A)
    }

    private static let null: [UInt8] = Array("null".utf8)

    private func appendEnvelope(_ record: KafkaRecord, to output: inout [UInt8]) {
        output.append(contentsOf: Array("{\"topic\":\"".utf8))
        JSONStringEscaper.append(record.topic, to: &output)
        output.append(contentsOf: Array("\",\"partition\":\(record.partition),\"offset\":\(record.offset),\"ts\":".utf8))
        output.append(contentsOf: Array((record.timestamp.map { String($0.milliseconds) } ?? "null").utf8))
        output.append(contentsOf: Array(",\"key\":".utf8))
        Self.appendOptionalString(record.key, to: &output)
        output.append(contentsOf: Array(",\"headers\":[".utf8))
        var first = true
        for header in record.headers {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.append(contentsOf: Array("[\"".utf8))
            JSONStringEscaper.append(header.name, to: &output)
            output.append(contentsOf: Array("\",".utf8))
            Self.appendOptionalString(header.value, to: &output)
            output.append(UInt8(ascii: "]"))
        }
        output.append(contentsOf: Array("],\"value\":".utf8))
        Self.appendOptionalString(record.value, to: &output)
        output.append(UInt8(ascii: "}"))
    }

    private static func appendOptionalString(_ bytes: UnsafeRawBufferPointer?, to output: inout [UInt8]) {
        guard let bytes else { output.append(contentsOf: null); return }
        output.append(UInt8(ascii: "\""))
        JSONStringEscaper.append(bytes, to: &output)
        output.append(UInt8(ascii: "\""))
    }
}
