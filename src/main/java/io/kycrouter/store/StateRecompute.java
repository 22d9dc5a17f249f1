package io.kycrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import static io.kycrouter.store.Inbox.utc;

/**
 * A verification's current state computed again from its events that are not superseded, in the order their deliveries
 * were received, by the same rules as when they arrived ({@link StateDecision}): a corrected event is judged as if it
 * had arrived right the first time. The caller holds the state row's lock ({@link #lock}) in its transaction.
 */
final class StateRecompute {

    /**
     * The order a verification's current events are folded in: by delivery, in the order received (its inbox row), so a
     * corrected event takes the place of the one it replaces. The console's timeline replays them in the same order
     * ({@link StatusHistory}).
     */
    static final String FOLD_ORDER = "inbox_id, revision";

    private final ObjectMapper json;

    StateRecompute(ObjectMapper json) {
        this.json = json;
    }

    /** The state as it builds up, one event after the other. */
    private static final class State {
        CanonicalStatus status;
        boolean isFinal;
        Instant statusAt;
        int rank;
        String statusEventId;
        String externalUserId;
        Instant firstAt;
        Instant lastAt;
        long count;
    }

    /** Locks the verification's state row, when it has one, for the rest of the transaction; true when it has. */
    static boolean lock(Connection c, String vendor, String verificationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select 1 from verification_state where vendor = ? and verification_id = ? for update")) {
            s.setString(1, vendor);
            s.setString(2, verificationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Writes the recomputed state: updated, inserted, or deleted when no event of the verification is current. */
    void recompute(Connection c, String vendor, String verificationId, boolean exists, Instant now) throws SQLException {
        State state = fold(c, vendor, verificationId);
        if (state == null) {
            if (exists) {
                try (PreparedStatement s = c.prepareStatement(
                        "delete from verification_state where vendor = ? and verification_id = ?")) {
                    s.setString(1, vendor);
                    s.setString(2, verificationId);
                    s.executeUpdate();
                }
            }
            return;
        }
        String sql = exists
                ? "update verification_state set status = ?, is_final = ?, status_at = ?, status_rank = ?, status_event_id = ?,"
                + " external_user_id = ?, first_event_at = ?, last_event_at = ?, event_count = ?, updated_at = ?"
                + " where vendor = ? and verification_id = ?"
                : "insert into verification_state (status, is_final, status_at, status_rank, status_event_id, external_user_id,"
                + " first_event_at, last_event_at, event_count, updated_at, vendor, verification_id) values (?,?,?,?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, state.status == null ? null : state.status.name());
            s.setBoolean(2, state.isFinal);
            s.setObject(3, state.statusAt == null ? null : utc(state.statusAt));
            if (state.status == null) {
                s.setNull(4, java.sql.Types.INTEGER);
            } else {
                s.setInt(4, state.rank);
            }
            s.setString(5, state.statusEventId);
            s.setString(6, state.externalUserId);
            s.setObject(7, utc(state.firstAt));
            s.setObject(8, utc(state.lastAt));
            s.setLong(9, state.count);
            s.setObject(10, utc(now));
            s.setString(11, vendor);
            s.setString(12, verificationId);
            s.executeUpdate();
        }
    }

    /** The state after the verification's current events, or null when it has none. */
    private State fold(Connection c, String vendor, String verificationId) throws SQLException {
        State state = null;
        try (PreparedStatement s = c.prepareStatement(
                "select event_id, type, status, is_final, occurred_at, payload from canonical_event"
                        + " where vendor = ? and verification_id = ? and superseded_by is null order by " + FOLD_ORDER)) {
            s.setString(1, vendor);
            s.setString(2, verificationId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    state = apply(state, rs);
                }
            }
        }
        return state;
    }

    /** One event applied as {@link EventStore} applies a new one. */
    private State apply(State state, ResultSet rs) throws SQLException {
        String eventId = rs.getString(1);
        CanonicalType type = CanonicalType.valueOf(rs.getString(2));
        String statusName = rs.getString(3);
        CanonicalStatus status = statusName == null ? null : CanonicalStatus.valueOf(statusName);
        boolean isFinal = rs.getBoolean(4);
        Instant seenAt = rs.getObject(5, OffsetDateTime.class).toInstant();
        JsonNode payload;
        try {
            payload = json.readTree(rs.getString(6));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored canonical event " + eventId + " unreadable", e);
        }
        // the column holds the time received when the vendor's time could not be read; the payload says which it was
        Instant occurredAt = text(payload, "occurredAt") == null ? null : Instant.parse(text(payload, "occurredAt"));
        String externalUserId = text(payload, "externalUserId");
        if (state == null) {
            State first = new State();
            boolean hasStatus = status != null;
            first.status = status;
            first.isFinal = hasStatus && isFinal;
            first.statusAt = hasStatus ? occurredAt : null;
            first.rank = hasStatus ? status.rank() : 0;
            first.statusEventId = hasStatus ? eventId : null;
            first.externalUserId = externalUserId;
            first.firstAt = seenAt;
            first.lastAt = seenAt;
            first.count = 1;
            return first;
        }
        if (StateDecision.moves(state.status, state.statusAt, state.rank, status, occurredAt, type)) {
            state.status = status;
            state.isFinal = isFinal;
            state.statusAt = occurredAt;
            state.rank = status.rank();
            state.statusEventId = eventId;
            state.externalUserId = externalUserId != null ? externalUserId : state.externalUserId;
        } else if (state.externalUserId == null) {
            state.externalUserId = externalUserId;
        }
        state.firstAt = seenAt.isBefore(state.firstAt) ? seenAt : state.firstAt;
        state.lastAt = seenAt.isAfter(state.lastAt) ? seenAt : state.lastAt;
        state.count++;
        return state;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
