package io.kycrouter.notify;

import io.kycrouter.store.GroupCommit;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.notify.OutboxSql.cut;
import static io.kycrouter.store.Inbox.utc;

/**
 * How attempts ended, written to the outbox: delivered (concurrent drains share one transaction), to be retried,
 * dead, or waiting with a target its receiver switched off.
 */
public final class OutboxOutcomes implements AutoCloseable {

    /** A row its receiver took, with the receiver's status (null for a Kafka target). */
    public record Delivered(long id, Integer status) {
    }

    private static final String DELIVERED = "update outbox set state = 'delivered', delivered_at = ?, attempts = attempts + 1,"
            + " last_status = ?, last_error = null, claimed_by = null, claimed_until = null where id = ? and state = 'pending'";

    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit<List<Delivered>, List<Boolean>> deliveredWriter;

    public OutboxOutcomes(DataSource dataSource, Clock clock, int maxBatch, Duration wait) {
        this.dataSource = dataSource;
        this.clock = clock;
        // an item is one drain's delivered rows (or one row); concurrent drains share a transaction
        this.deliveredWriter = new GroupCommit<>("outbox", dataSource, maxBatch, wait, this::markDelivered,
                rows -> rows.stream().map(d -> update(DELIVERED, utc(clock.instant()), d.status(), d.id()) == 1).toList());
    }

    /**
     * The receiver took it: recorded whoever holds the claim now (the truth, and it stops a second send). Returns
     * false when the row was no longer pending (an operator or another instance settled it meanwhile).
     */
    public boolean delivered(long id, Integer status) {
        return deliveredWriter.submit(List.of(new Delivered(id, status))).get(0);
    }

    /** {@link #delivered} for many rows in one transaction; one result per row, in order. */
    public List<Boolean> deliveredAll(List<Delivered> rows) {
        return deliveredWriter.submit(rows);
    }

    /** The successful attempts of all workers, recorded in one transaction. */
    private List<List<Boolean>> markDelivered(Connection c, List<List<Delivered>> items) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(DELIVERED)) {
            OffsetDateTime now = utc(clock.instant());
            for (List<Delivered> rows : items) {
                for (Delivered d : rows) {
                    s.setObject(1, now);
                    s.setObject(2, d.status());
                    s.setLong(3, d.id());
                    s.addBatch();
                }
            }
            int[] counts = s.executeBatch();
            List<List<Boolean>> written = new ArrayList<>(items.size());
            int i = 0;
            for (List<Delivered> rows : items) {
                List<Boolean> each = new ArrayList<>(rows.size());
                for (int k = 0; k < rows.size(); k++) {
                    each.add(counts[i++] != 0); // SUCCESS_NO_INFO (-2) counts as written
                }
                written.add(each);
            }
            return written;
        }
    }

    @Override
    public void close() {
        deliveredWriter.close();
    }

    /**
     * Schedules the next attempt, only while {@code instance} still holds the claim: a delivery that outlived its
     * lease must not overwrite the state written by the instance that took the row over. Returns whether it did.
     */
    public boolean retryAt(long id, String instance, Instant next, Integer status, String error) {
        return update("update outbox set attempts = attempts + 1, next_attempt_at = ?, last_status = ?, last_error = ?,"
                + " claimed_by = null, claimed_until = null where id = ? and claimed_by = ?", utc(next), status, cut(error), id,
                instance) == 1;
    }

    /** Marks the row dead, only while {@code instance} still holds the claim (see {@link #retryAt}). */
    public boolean dead(long id, String instance, Integer status, String error) {
        return update("update outbox set state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?,"
                + " claimed_by = null, claimed_until = null where id = ? and claimed_by = ?", status, cut(error), id, instance) == 1;
    }

    /**
     * Gives a row back to wait with its target, which its receiver has just switched off (410 Gone), only while
     * {@code instance} still holds the claim (see {@link #retryAt}). The answer was about the target, not about the
     * event: the row stays pending, its attempt count unspent and its time unchanged, so that it still holds its
     * verification's later rows back and is the first of them sent once the target is enabled. Returns whether
     * it did.
     */
    public boolean waitForTarget(long id, String instance, Integer status, String error) {
        return update("update outbox set last_status = ?, last_error = ?, claimed_by = null, claimed_until = null"
                + " where id = ? and claimed_by = ? and state = 'pending'", status, cut(error), id, instance) == 1;
    }

    private int update(String sql, Object... params) {
        return OutboxSql.update(dataSource, sql, params);
    }
}
