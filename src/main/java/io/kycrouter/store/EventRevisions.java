package io.kycrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.canonical.VerificationEvent;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kycrouter.store.Inbox.utc;

/**
 * Stored deliveries mapped again: a delivery's new canonical event is appended as its next revision, the event it
 * replaces is kept in the log marked superseded (by which event, when), the new event's notifications are enqueued,
 * and the state of the verification (of both, when the verification id changed) is computed again from its current
 * events ({@link StateRecompute}). One transaction per delivery; the state rows and the inbox row are locked first,
 * so a concurrent delivery of the same verification, another remap or another instance waits or retries.
 */
public final class EventRevisions {

    /** The event a delivery currently has (not superseded). */
    public record Current(String eventId, int revision, String verificationId, String payload) {
    }

    /** A stored delivery with its current event; {@code body} is null once retention purged it. */
    public record StoredDelivery(long id, String vendor, String eventKey, Instant receivedAt, String body,
                                 Current current) {

        /** The revision a new mapping of this delivery is written as. */
        public int nextRevision() {
            return current == null ? 0 : current.revision() + 1;
        }
    }

    /** A page of a vendor's deliveries in inbox order; {@code more} when others follow the last one. */
    public record Page(List<StoredDelivery> deliveries, boolean more) {
    }

    private static final String SELECT = "select i.id, i.vendor, i.event_key, i.received_at, i.body, e.event_id, e.revision,"
            + " e.verification_id, e.payload from inbox i"
            + " left join canonical_event e on e.inbox_id = i.id and e.superseded_by is null";

    private final DataSource dataSource;
    private final EventStore events;
    private final Inbox inbox;
    private final Clock clock;
    private final ObjectMapper json;
    private final StateRecompute states;

    public EventRevisions(DataSource dataSource, EventStore events, Inbox inbox, Clock clock, ObjectMapper json) {
        this.dataSource = dataSource;
        this.events = events;
        this.inbox = inbox;
        this.clock = clock;
        this.json = json;
        this.states = new StateRecompute(json);
    }

    public Optional<StoredDelivery> find(long id) {
        List<StoredDelivery> found = query(SELECT + " where i.id = ?", 1, id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * A vendor's deliveries after inbox id {@code afterId}, oldest first: those received since {@code since} (null: any
     * time) whose current event has the vendor event type {@code eventType} (null: any, and those without an event).
     */
    public Page select(String vendor, String eventType, Instant since, long afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where i.vendor = ? and i.id > ?");
        List<Object> params = new ArrayList<>(List.of(vendor, afterId));
        if (since != null) {
            sql.append(" and i.received_at >= ?");
            params.add(utc(since));
        }
        if (eventType != null) {
            sql.append(" and e.vendor_event_type = ?");
            params.add(eventType);
        }
        sql.append(" order by i.id fetch first ").append(limit + 1).append(" rows only");
        List<StoredDelivery> found = query(sql.toString(), limit + 1, params.toArray());
        boolean more = found.size() > limit;
        return new Page(more ? found.subList(0, limit) : found, more);
    }

    private List<StoredDelivery> query(String sql, int max, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.setMaxRows(max);
            List<StoredDelivery> found = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String eventId = rs.getString(6);
                    found.add(new StoredDelivery(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                            eventId == null ? null : new Current(eventId, rs.getInt(7), rs.getString(8), rs.getString(9))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailable("inbox read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the new mapping says exactly what the current event says: the same document but for its own id, the id
     * of the event it would supersede, and the time received (the delivery's, stored at the database's precision).
     */
    public boolean unchanged(Current current, VerificationEvent mapped) {
        try {
            return withoutIds(json.readTree(current.payload())).equals(withoutIds(json.readTree(events.serialize(mapped))));
        } catch (IOException e) {
            return false; // a stored event that cannot be read is worth replacing
        }
    }

    private static JsonNode withoutIds(JsonNode event) {
        if (event instanceof ObjectNode o) {
            o.remove("eventId");
            o.remove("supersedes");
            o.remove("receivedAt");
        }
        return event;
    }

    /**
     * Writes {@code mapped} (built as revision {@link StoredDelivery#nextRevision()} of the delivery) in place of its
     * current event. Returns false, writing nothing, when the delivery's current event is no longer the one it was
     * read with (written meanwhile by another instance, the inbox recovery or another remap): the caller reads it
     * again and maps it again.
     */
    public boolean write(StoredDelivery delivery, VerificationEvent mapped) {
        Current current = delivery.current();
        String payload = payload(mapped, current);
        // the state rows in a fixed order, whoever locks two of them: two remaps cannot wait for each other
        Set<String> verifications = new TreeSet<>();
        verifications.add(mapped.verificationId());
        if (current != null) {
            verifications.add(current.verificationId());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long position = EventLog.reserve(c, 1).next(); // the log's head first, then the rows (see EventLog)
                Map<String, Boolean> exists = new TreeMap<>();
                for (String verification : verifications) {
                    exists.put(verification, StateRecompute.lock(c, delivery.vendor(), verification));
                }
                if (!Objects.equals(lockCurrent(c, delivery.id()), current == null ? null : current.eventId())) {
                    c.rollback();
                    return false;
                }
                Instant now = clock.instant();
                events.insertRevision(c, mapped, payload, delivery.nextRevision(), position);
                if (current != null) {
                    supersede(c, current.eventId(), mapped.eventId(), now);
                }
                markMapped(c, delivery.id(), now);
                for (Map.Entry<String, Boolean> state : exists.entrySet()) {
                    states.recompute(c, delivery.vendor(), state.getKey(), state.getValue(), now);
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (SqlStates.conflict(e)) {
                return false; // another writer of this delivery or verification got in first: read and map again
            }
            if (SqlStates.dataError(e)) {
                throw new IllegalArgumentException("the event does not fit the store (SQLSTATE " + e.getSQLState() + ")");
            }
            throw new StoreUnavailable("remap write failed: " + e.getMessage(), e);
        }
    }

    /** Keeps a delivery without an event parked, with the error its new mapping met. */
    public void park(StoredDelivery delivery, String error) {
        inbox.markFailed(delivery.id(), error, true);
    }

    /** The serialised event; a revision says which event it replaces ({@code supersedes}), so its receivers know. */
    private String payload(VerificationEvent mapped, Current current) {
        String payload = events.serialize(mapped);
        if (current == null) {
            return payload;
        }
        try {
            ObjectNode document = (ObjectNode) json.readTree(payload);
            ObjectNode ordered = json.createObjectNode();
            ordered.set("eventId", document.remove("eventId"));
            ordered.put("supersedes", current.eventId());
            ordered.setAll(document);
            return json.writeValueAsString(ordered);
        } catch (IOException e) {
            throw new IllegalStateException("canonical event not serialisable", e);
        }
    }

    /** Locks the delivery's inbox row and returns the id of its current event (null: none). */
    private static String lockCurrent(Connection c, long inboxId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select id from inbox where id = ? for update")) {
            lock.setLong(1, inboxId);
            lock.executeQuery().close();
        }
        try (PreparedStatement s = c.prepareStatement(
                "select event_id from canonical_event where inbox_id = ? and superseded_by is null")) {
            s.setLong(1, inboxId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void supersede(Connection c, String old, String by, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update canonical_event set superseded_by = ?, superseded_at = ? where event_id = ? and superseded_by is null")) {
            s.setString(1, by);
            s.setObject(2, utc(at));
            s.setString(3, old);
            if (s.executeUpdate() != 1) {
                throw new SQLException("the event to supersede was superseded meanwhile", "40001");
            }
        }
    }

    /** A parked delivery that now maps leaves the parked list: processed, no error, no attempts. */
    private static void markMapped(Connection c, long inboxId, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "update inbox set processed_at = coalesce(processed_at, ?), attempts = 0, last_error = null where id = ?")) {
            s.setObject(1, utc(at));
            s.setLong(2, inboxId);
            s.executeUpdate();
        }
    }
}
