package io.kycrouter.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A claimed delivery: the outbox row and the canonical event it carries. {@code eventSeq} orders one
 * verification's rows (the inbox id: the order the deliveries were received in).
 */
public record OutboxRow(long id, String eventId, String target, String vendor, String verificationId, long eventSeq,
                  int attempts, Instant createdAt, String payload) {

    /** The rows of each verification, in the order given; verifications in the order first met. */
    static Map<String, List<OutboxRow>> byVerification(List<OutboxRow> rows) {
        Map<String, List<OutboxRow>> grouped = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            grouped.computeIfAbsent(row.vendor() + '\n' + row.verificationId(), k -> new ArrayList<>()).add(row);
        }
        return grouped;
    }
}
