package io.kycrouter.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.VerificationEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.store.Inbox.utc;

/**
 * Appends a canonical event at the next position of the event log ({@link EventLog}), moves its verification's current
 * state, and marks the inbox row processed: all in one transaction. Processing the same inbox row twice writes nothing
 * the second time (the event's inbox_id is unique). Its notifications need no row: each target's cursor reads the log.
 */
public final class EventStore implements AutoCloseable {

    private record Serialized(VerificationEvent event, String payload) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final ObjectMapper json;
    private final Durability durability;
    private final GroupCommit<Serialized, Boolean> writer;

    public EventStore(DataSource dataSource, Clock clock, ObjectMapper json, int maxBatch, Duration wait) {
        this(dataSource, clock, json, maxBatch, wait, Durability.atCommit());
    }

    /**
     * @param durability what makes an appended event safe from a crash before its caller returns (a checkpoint on the
     *                   journaled H2 default: these events come from the inbox's recovery, not from the intake)
     */
    public EventStore(DataSource dataSource, Clock clock, ObjectMapper json, int maxBatch, Duration wait, Durability durability) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.json = json;
        this.durability = durability;
        this.writer = new GroupCommit<>("events", dataSource, maxBatch, wait, this::appendAll, this::appendAlone,
                appended -> durability.checkpoint());
    }

    /**
     * Stores the event with whatever other events are waiting, in one transaction; returns false when it was
     * already stored (a reprocessed inbox row).
     */
    public boolean append(VerificationEvent event) {
        return writer.submit(new Serialized(event, serialize(event)));
    }

    private List<Boolean> appendAll(Connection c, List<Serialized> items) throws SQLException {
        durability.catchUp(c); // a database reopened under the router gets the journal's deliveries first
        List<Boolean> appended = new ArrayList<>(items.size());
        EventLog.Positions positions = EventLog.reserve(c, items.size()); // first: see EventLog
        try (BatchStatements statements = new BatchStatements(c)) {
            for (Serialized item : items) {
                appended.add(appendIn(statements, item.event(), item.payload(), positions));
            }
        }
        return appended;
    }

    /** One event in its own transaction, retried when a concurrent writer of the same verification got in first. */
    private boolean appendAlone(Serialized item) {
        VerificationEvent event = item.event();
        String payload = item.payload();
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                durability.catchUp(c);
                try (BatchStatements statements = new BatchStatements(c)) {
                    boolean appended = appendIn(statements, event, payload, EventLog.reserve(c, 1));
                    c.commit();
                    durability.checkpoint();
                    return appended;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (SqlStates.dataError(e)) {
                    throw new IllegalArgumentException("the event does not fit the store (SQLSTATE " + e.getSQLState() + ")");
                }
                if (!SqlStates.uniqueViolation(e) && !"40001".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())) {
                    throw new StoreUnavailable("event store write failed: " + e.getMessage(), e);
                }
                last = e; // a concurrent first event of the same verification, or a serialisation conflict: retry
            }
        }
        throw new StoreUnavailable("event store write kept conflicting", last);
    }

    private boolean appendIn(BatchStatements c, VerificationEvent event, String payload, EventLog.Positions positions)
            throws SQLException {
        if (alreadyStored(c, event.inboxId())) {
            markProcessed(c, event.inboxId());
            return false;
        }
        insert(c, event, payload, positions.next());
        markProcessed(c, event.inboxId());
        return true;
    }

    /**
     * The event of a delivery stored in the same transaction (see {@link Intake}): its inbox row is new, and is
     * written already processed, so there is nothing to check first and nothing to mark after.
     */
    void appendNew(BatchStatements c, VerificationEvent event, String payload, long position) throws SQLException {
        insert(c, event, payload, position);
    }

    String serialize(VerificationEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical event not serialisable", e);
        }
    }

    /** Appends the event at {@code position} of the log and moves its verification's state. */
    private void insert(BatchStatements c, VerificationEvent event, String payload, long position) throws SQLException {
        insertRevision(c, event, payload, 0, position);
        Instant occurredAt = event.occurredAt() == null ? null : Instant.parse(event.occurredAt());
        moveState(c, event, occurredAt, occurredAt == null ? Instant.parse(event.receivedAt()) : occurredAt);
    }

    /**
     * Appends the event as mapping {@code revision} of its delivery, at {@code position} of the log (reserved first in
     * this transaction, see {@link EventLog}); the verification's state is left to the caller (a remap recomputes it,
     * see {@link EventRevisions}).
     */
    void insertRevision(Connection c, VerificationEvent event, String payload, int revision, long position)
            throws SQLException {
        try (BatchStatements statements = new BatchStatements(c)) {
            insertRevision(statements, event, payload, revision, position);
        }
    }

    private void insertRevision(BatchStatements c, VerificationEvent event, String payload, int revision, long position)
            throws SQLException {
        // null when the vendor's time could not be read: the log row keeps the time received, the state treats it as
        // the oldest time there is (StateDecision), so an unreadable time can never make an event the newest
        Instant occurredAt = event.occurredAt() == null ? null : Instant.parse(event.occurredAt());
        Instant receivedAt = Instant.parse(event.receivedAt());
        PreparedStatement s = c.get(
                "insert into canonical_event (event_id, inbox_id, vendor, verification_id, vendor_event_type, type,"
                        + " status, is_final, occurred_at, received_at, payload, revision, seq) values (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        s.setString(1, event.eventId());
        s.setLong(2, event.inboxId());
        s.setString(3, event.vendor());
        s.setString(4, event.verificationId());
        s.setString(5, event.vendorEventType());
        s.setString(6, event.type().name());
        s.setString(7, event.status() == null ? null : event.status().name());
        s.setBoolean(8, event.isFinal());
        s.setObject(9, utc(occurredAt == null ? receivedAt : occurredAt));
        s.setObject(10, utc(receivedAt));
        s.setString(11, payload);
        s.setInt(12, revision);
        s.setLong(13, position);
        s.executeUpdate();
    }

    private static boolean alreadyStored(BatchStatements c, long inboxId) throws SQLException {
        PreparedStatement s = c.get("select 1 from canonical_event where inbox_id = ?");
        s.setLong(1, inboxId);
        try (ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    private void markProcessed(BatchStatements c, long inboxId) throws SQLException {
        PreparedStatement s = c.get("update inbox set processed_at = ?, last_error = null where id = ? and processed_at is null");
        s.setObject(1, utc(clock.instant()));
        s.setLong(2, inboxId);
        s.executeUpdate();
    }

    /**
     * @param occurredAt the event's time, null when unknown (it then ranks oldest for the status)
     * @param seenAt     the event's time, or when it was received: for the first and last event times
     */
    private void moveState(BatchStatements c, VerificationEvent e, Instant occurredAt, Instant seenAt) throws SQLException {
        Instant now = clock.instant();
        PreparedStatement select = c.get(
                "select status, status_at, status_rank, first_event_at, last_event_at from verification_state"
                        + " where vendor = ? and verification_id = ? for update");
        select.setString(1, e.vendor());
        select.setString(2, e.verificationId());
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                insertState(c, e, occurredAt, seenAt, now);
                return;
            }
            String status = rs.getString(1);
            CanonicalStatus current = status == null ? null : CanonicalStatus.valueOf(status);
            OffsetDateTime statusAt = rs.getObject(2, OffsetDateTime.class);
            int rank = rs.getInt(3);
            Instant firstAt = rs.getObject(4, OffsetDateTime.class).toInstant();
            Instant lastAt = rs.getObject(5, OffsetDateTime.class).toInstant();
            boolean moves = StateDecision.moves(current, statusAt == null ? null : statusAt.toInstant(), rank,
                    e.status(), occurredAt, e.type());
            updateState(c, e, occurredAt, moves, min(firstAt, seenAt), max(lastAt, seenAt), now);
        }
    }

    private static void insertState(BatchStatements c, VerificationEvent e, Instant occurredAt, Instant seenAt, Instant now)
            throws SQLException {
        PreparedStatement s = c.get(
                "insert into verification_state (vendor, verification_id, status, is_final, status_at, status_rank,"
                        + " status_event_id, external_user_id, first_event_at, last_event_at, event_count, updated_at)"
                        + " values (?,?,?,?,?,?,?,?,?,?,1,?)");
        s.setString(1, e.vendor());
        s.setString(2, e.verificationId());
        boolean hasStatus = e.status() != null;
        s.setString(3, hasStatus ? e.status().name() : null);
        s.setBoolean(4, hasStatus && e.isFinal());
        s.setObject(5, hasStatus && occurredAt != null ? utc(occurredAt) : null);
        if (hasStatus) {
            s.setInt(6, e.status().rank());
        } else {
            s.setNull(6, java.sql.Types.INTEGER);
        }
        s.setString(7, hasStatus ? e.eventId() : null);
        s.setString(8, e.externalUserId());
        s.setObject(9, utc(seenAt));
        s.setObject(10, utc(seenAt));
        s.setObject(11, utc(now));
        s.executeUpdate();
    }

    private static void updateState(BatchStatements c, VerificationEvent e, Instant occurredAt, boolean moves,
                                    Instant firstAt, Instant lastAt, Instant now) throws SQLException {
        String sql = moves
                ? "update verification_state set status = ?, is_final = ?, status_at = ?, status_rank = ?, status_event_id = ?,"
                + " external_user_id = coalesce(?, external_user_id), first_event_at = ?, last_event_at = ?,"
                + " event_count = event_count + 1, updated_at = ? where vendor = ? and verification_id = ?"
                : "update verification_state set external_user_id = coalesce(external_user_id, ?), first_event_at = ?,"
                + " last_event_at = ?, event_count = event_count + 1, updated_at = ? where vendor = ? and verification_id = ?";
        PreparedStatement s = c.get(sql);
        int i = 1;
        if (moves) {
            s.setString(i++, e.status().name());
            s.setBoolean(i++, e.isFinal());
            s.setObject(i++, occurredAt == null ? null : utc(occurredAt));
            s.setInt(i++, e.status().rank());
            s.setString(i++, e.eventId());
        }
        s.setString(i++, e.externalUserId());
        s.setObject(i++, utc(firstAt));
        s.setObject(i++, utc(lastAt));
        s.setObject(i++, utc(now));
        s.setString(i++, e.vendor());
        s.setString(i, e.verificationId());
        s.executeUpdate();
    }

    @Override
    public void close() {
        writer.close();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
