package io.kycrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a verification's events moved its status, found by deciding again ({@link StateDecision}) over its current
 * events (not superseded by a remap) in the order its state is computed from them ({@link StateRecompute#FOLD_ORDER}):
 * the marks agree with the state, remapped or not. An event with a status that did not move it is older than the
 * status it met (out of order), or lost to it on the lifecycle rank at the same time. A superseded event is listed, but
 * neither moved the status nor came out of order: it no longer counts.
 */
public final class StatusHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored event, as the decision sees it; {@code occurredAt} null when the vendor's time could not be read. */
    record Step(CanonicalType type, CanonicalStatus status, Instant occurredAt) {
    }

    /**
     * One stored event of the verification with its marks; {@code supersededBy} and {@code supersededAt} are null
     * for a current event.
     */
    public record Entry(long seq, String payload, String supersededBy, Instant supersededAt, boolean movedStatus,
                        boolean outOfOrder) {
    }

    private StatusHistory() {
    }

    /** Every event of the verification, superseded ones too, current ones in the order the state is computed from. */
    public static List<Entry> of(Connection c, String vendor, String verificationId) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        List<Integer> currentAt = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select seq, type, status, payload, superseded_by, superseded_at"
                + " from canonical_event where vendor = ? and verification_id = ? order by " + StateRecompute.FOLD_ORDER)) {
            s.setString(1, vendor);
            s.setString(2, verificationId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString(4);
                    String supersededBy = rs.getString(5);
                    if (supersededBy != null) {
                        OffsetDateTime at = rs.getObject(6, OffsetDateTime.class);
                        entries.add(new Entry(rs.getLong(1), payload, supersededBy, at == null ? null : at.toInstant(),
                                false, false));
                        continue;
                    }
                    String status = rs.getString(3);
                    currentAt.add(entries.size());
                    current.add(new Step(CanonicalType.valueOf(rs.getString(2)),
                            status == null ? null : CanonicalStatus.valueOf(status), occurredAt(payload)));
                    entries.add(new Entry(rs.getLong(1), payload, null, null, false, false));
                }
            }
        }
        boolean[] moved = moves(current);
        for (int i = 0; i < current.size(); i++) {
            int at = currentAt.get(i);
            Entry e = entries.get(at);
            CanonicalStatus status = current.get(i).status();
            entries.set(at, new Entry(e.seq(), e.payload(), null, null, moved[i],
                    !moved[i] && status != null && status != CanonicalStatus.UNKNOWN));
        }
        return entries;
    }

    /** For each step, in the order given: whether it set the verification's status. */
    static boolean[] moves(List<Step> inOrder) {
        boolean[] moved = new boolean[inOrder.size()];
        CanonicalStatus current = null;
        Instant currentAt = null;
        int currentRank = 0;
        for (int i = 0; i < inOrder.size(); i++) {
            Step step = inOrder.get(i);
            // the first event creates the state with its status, whatever it is (EventStore.insertState)
            moved[i] = i == 0 ? step.status() != null
                    : StateDecision.moves(current, currentAt, currentRank, step.status(), step.occurredAt(), step.type());
            if (moved[i]) {
                current = step.status();
                currentAt = step.occurredAt();
                currentRank = step.status().rank();
            }
        }
        return moved;
    }

    /**
     * The vendor's time as the event says it; null when it could not be read (the column then holds the time received,
     * which the decision must not take for the vendor's).
     */
    private static Instant occurredAt(String payload) {
        try {
            JsonNode value = JSON.readTree(payload).get("occurredAt");
            return value == null || value.isNull() ? null : Instant.parse(value.asText());
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
