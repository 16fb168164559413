import CRdKafka

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

extension KafkaConsumer {
    /// Applies a rebalance the way the active protocol requires and tells `onRebalance`, in the order its
    /// documentation promises.
    func handleRebalance(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let partitions = RDTopicPartitionList.read(list)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) { reportRebalanceFailure(KafkaError(consuming: error)) }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { reportRebalanceFailure(KafkaError(result, "assign")) }
            }
            onRebalance?(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            onRebalance?(rd_kafka_assignment_lost(rk) != 0 ? .lost(partitions) : .revoked(partitions))
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) { reportRebalanceFailure(KafkaError(consuming: error)) }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            reportRebalanceFailure(KafkaError(err, "rebalance"))
            _ = rd_kafka_assign(rk, nil)
        }
    }

    private func reportRebalanceFailure(_ error: KafkaError) {
        rebalanceLogger.error("rebalance failed: \(error)")
    }
}
