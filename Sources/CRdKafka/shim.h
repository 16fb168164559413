// The C surface Resonance uses: librdkafka, its mock cluster, and a few inline helpers that wrap librdkafka's
// variadic functions (which Swift cannot call) in fixed-signature ones.
#ifndef RESONANCE_CRDKAFKA_SHIM_H
#define RESONANCE_CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Produce one message with every optional part given explicitly. `headers` (may be NULL) is owned by
/// librdkafka on success and must be destroyed by the caller on failure. `timestamp` 0 means "now".
static inline rd_kafka_resp_err_t resonance_produce(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition,
                                                    const void *key, size_t key_len, const void *value,
                                                    size_t value_len, rd_kafka_headers_t *headers,
                                                    int64_t timestamp, void *msg_opaque) {
    if (headers) {
        return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_len),
                                 RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_HEADERS(headers),
                                 RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
    }
    return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_TIMESTAMP(timestamp),
                             RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
}

#endif
