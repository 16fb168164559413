extension String {
    /// Decodes a NUL-terminated C character buffer, such as librdkafka's `errstr` out-parameters.
    init(cBuffer: [CChar]) {
        self.init(decoding: cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
