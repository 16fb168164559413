import CRdKafka
import Logging

/// A change of the partitions this group member owns.
public enum KafkaRebalanceEvent: Sendable, Equatable {
    /// These partitions were added to the assignment (already assigned when the handler runs).
    case assigned([KafkaTopicPartition])
    /// These partitions are being taken away in an orderly rebalance (still owned while the handler runs).
    case revoked([KafkaTopicPartition])
    /// These partitions were lost (session timeout, fencing): another member may already own them, so do not
    /// commit for them.
    case lost([KafkaTopicPartition])
}

/// The application's side of a rebalance, held weakly by the C callback's context: when the consumer is already
/// being torn down the partitions are still assigned or given up as librdkafka requires, or `close` would wait
/// forever.
struct RebalanceHooks {
    var startOffsets: (([KafkaTopicPartition]) -> [KafkaTopicPartition])?
    var notify: ((KafkaRebalanceEvent) -> Void)?
    let logger: Logger
}

enum RebalanceProtocol {
    /// Applies a rebalance the way the active protocol requires and tells the hooks, in the order
    /// `KafkaConsumer.onRebalance` documents.
    static func apply(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
        hooks: RebalanceHooks?
    ) {
        // NULL when the protocol is not known (a member that is leaving the group): then the eager calls, which
        // replace the whole assignment, are the ones that still apply.
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        let partitions = RDTopicPartitionList.read(list)
        func report(_ error: KafkaError) { hooks?.logger.error("rebalance failed: \(error)") }
        func assign(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) { report(KafkaError(consuming: error)) }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { report(KafkaError(result, "assign")) }
            }
        }
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            let starting = LogicalOffsets.resolved(hooks?.startOffsets?(partitions) ?? partitions, client: rk)
            if starting == partitions {
                assign(list)
            } else {
                let adjusted = RDTopicPartitionList.make(starting)
                assign(adjusted)
                rd_kafka_topic_partition_list_destroy(adjusted)
            }
            hooks?.notify?(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            hooks?.notify?(rd_kafka_assignment_lost(rk) != 0 ? .lost(partitions) : .revoked(partitions))
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) { report(KafkaError(consuming: error)) }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            report(KafkaError(err, "rebalance"))
            _ = rd_kafka_assign(rk, nil)
        }
    }
}
