package io.kycrouter.notify;

import io.kycrouter.store.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.notify.OutboxSql.cut;
import static io.kycrouter.notify.OutboxSql.inTransaction;
import static io.kycrouter.store.Inbox.utc;

/**
 * Each notifier target's progress through the canonical event log (notify_cursor): a position, like a consumer's
 * offset, below which every event has been delivered to the target or has an outbox row of its own (a retry, a dead
 * letter, a delivery waiting behind an earlier one). A delivered event costs no row and no update; moving the cursor
 * costs one update per batch. One instance at a time reads a target's log: it holds the cursor's lease (owner,
 * lease_until), renews it while it lives, and moves the cursor only while it still holds it.
 */
public final class TargetCursors {

    /** An event of the log, with what a target's filter and the ordering need, and the document sent. */
    public record LogEvent(long position, String eventId, long inboxId, String vendor, String verificationId, String type,
                           String status, boolean isFinal, boolean superseded, Instant receivedAt, String payload) {

        String verificationKey() {
            return vendor + '\n' + verificationId;
        }
    }

    /**
     * An outbox row written as the cursor passes an event that was not delivered: {@code state} pending (a retry, or
     * waiting behind an earlier delivery) or dead.
     */
    public record RowToWrite(LogEvent event, String state, int attempts, Instant nextAttemptAt, Integer lastStatus,
                             String lastError) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public TargetCursors(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Gives every target without a cursor one at the log's head (at start-up, before any delivery is taken in): a new
     * target receives the events that follow; those before it are enqueued by a replay since a time. A target removed
     * from the configuration keeps its cursor: added again, it resumes where it stopped.
     */
    public void create(List<String> targets) {
        targets.forEach(this::create);
    }

    /** Gives the target a cursor at the log's head unless it has one; returns whether it created it. */
    boolean create(String target) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into notify_cursor (target, position, first_position, updated_at)"
                     + " select ?, last_seq, last_seq, ? from event_log_head where id = 1"
                     + " and not exists (select 1 from notify_cursor where target = ?)")) {
            s.setString(1, target);
            s.setObject(2, utc(clock.instant()));
            s.setString(3, target);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) { // another instance created it at the same time: fine
                throw new StoreUnavailable("notifier cursor not created: " + e.getMessage(), e);
            }
            return false;
        }
    }

    /**
     * Takes the lease of the target's cursor for {@code instance} until {@code until}, or extends it: when no live
     * lease of another instance holds it. Returns the cursor's position, or -1 when another instance holds it.
     */
    long acquire(String target, String instance, Instant until) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("update notify_cursor set owner = ?, lease_until = ? where target = ?"
                    + " and (owner is null or owner = ? or lease_until < ?)")) {
                s.setString(1, instance);
                s.setObject(2, utc(until));
                s.setString(3, target);
                s.setString(4, instance);
                s.setObject(5, utc(clock.instant()));
                if (s.executeUpdate() != 1) {
                    return -1;
                }
            }
            try (PreparedStatement s = c.prepareStatement("select position from notify_cursor where target = ?")) {
                s.setString(1, target);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1;
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("notifier cursor not taken: " + e.getMessage(), e);
        }
    }

    /** Until when another instance holds the target's cursor (null: nobody does, or its lease has lapsed). */
    Instant heldElsewhereUntil(String target, String instance) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select lease_until from notify_cursor where target = ?"
                     + " and owner is not null and owner <> ?")) {
            s.setString(1, target);
            s.setString(2, instance);
            try (ResultSet rs = s.executeQuery()) {
                OffsetDateTime until = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                return until == null || until.toInstant().isBefore(clock.instant()) ? null : until.toInstant();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("notifier cursor not read: " + e.getMessage(), e);
        }
    }

    /** Up to {@code limit} events of the log after {@code position}, in log order. */
    List<LogEvent> after(long position, int limit) {
        List<LogEvent> events = new ArrayList<>(Math.min(limit, 256));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select seq, event_id, inbox_id, vendor, verification_id, type, status,"
                     + " is_final, superseded_by, received_at, payload from canonical_event where seq > ? order by seq"
                     + " fetch first " + limit + " rows only")) {
            s.setLong(1, position);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new LogEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9) != null,
                            rs.getObject(10, OffsetDateTime.class).toInstant(), rs.getString(11)));
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("event log not read: " + e.getMessage(), e);
        }
        return events;
    }

    /**
     * In one transaction, writes the rows of the events passed that were not delivered, then moves the target's
     * cursor from {@code from} to {@code to} and extends the lease: only while {@code instance} still holds the cursor
     * at {@code from}. Returns false, writing nothing, when it no longer does (its lease lapsed and another instance
     * took the cursor over: that one sends these events again).
     */
    boolean advance(String target, String instance, long from, long to, Instant until, List<RowToWrite> rows) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            boolean[] moved = new boolean[1];
            inTransaction(c, () -> {
                try (PreparedStatement s = c.prepareStatement("update notify_cursor set position = ?, lease_until = ?,"
                        + " updated_at = ? where target = ? and owner = ? and position = ?")) {
                    s.setLong(1, to);
                    s.setObject(2, utc(until));
                    s.setObject(3, utc(now));
                    s.setString(4, target);
                    s.setString(5, instance);
                    s.setLong(6, from);
                    moved[0] = s.executeUpdate() == 1;
                }
                if (!moved[0] || rows.isEmpty()) {
                    return;
                }
                // a row the event already has (an operator's replay since a time enqueued it) is left as it is
                try (PreparedStatement s = c.prepareStatement("insert into outbox (event_id, event_seq, target, vendor,"
                        + " verification_id, state, attempts, created_at, next_attempt_at, last_status, last_error)"
                        + " select ?,?,?,?,?,?,?,?,?,?,? from event_log_head where id = 1"
                        + " and not exists (select 1 from outbox where event_id = ? and target = ?)")) {
                    for (RowToWrite row : rows) {
                        LogEvent e = row.event();
                        s.setString(1, e.eventId());
                        s.setLong(2, e.inboxId()); // one verification's rows are sent in the order received
                        s.setString(3, target);
                        s.setString(4, e.vendor());
                        s.setString(5, e.verificationId());
                        s.setString(6, row.state());
                        s.setInt(7, row.attempts());
                        s.setObject(8, utc(now));
                        s.setObject(9, utc(row.nextAttemptAt() == null ? now : row.nextAttemptAt()));
                        s.setObject(10, row.lastStatus(), java.sql.Types.INTEGER); // typed: PostgreSQL infers no type in a select list
                        s.setString(11, cut(row.lastError()));
                        s.setString(12, e.eventId());
                        s.setString(13, target);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            });
            return moved[0];
        } catch (SQLException e) {
            throw new StoreUnavailable("notifier cursor not moved: " + e.getMessage(), e);
        }
    }

    /** Extends the leases of the cursors {@code instance} holds (see {@link ClaimRenewal}). */
    void renew(String instance, Instant until) {
        OutboxSql.update(dataSource, "update notify_cursor set lease_until = ? where owner = ?", utc(until), instance);
    }

    /** Gives back the cursors {@code instance} holds (graceful stop): another instance may take them at once. */
    void release(String instance) {
        OutboxSql.update(dataSource, "update notify_cursor set owner = null, lease_until = null where owner = ?", instance);
    }

    /** Where the target started (events at or below it came before the target existed); -1 when it has no cursor. */
    long firstPosition(String target) {
        List<java.util.Map<String, Object>> rows = OutboxSql.query(dataSource,
                "select first_position as \"first\" from notify_cursor where target = ?", target);
        return rows.isEmpty() ? -1 : ((Number) rows.get(0).get("first")).longValue();
    }

    /** How many events of the log are after a target's cursor, and when the oldest of them was received (null: none). */
    record Backlog(long events, Instant oldest) {
    }

    /** The target's backlog in the log: one read of its cursor, then one range of the log's primary key. */
    Backlog backlog(Connection c, String target) throws SQLException {
        long position;
        try (PreparedStatement s = c.prepareStatement("select position from notify_cursor where target = ?")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new Backlog(0, null);
                }
                position = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("select count(*), min(received_at) from canonical_event where seq > ?")) {
            s.setLong(1, position);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                return new Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
            }
        }
    }
}
