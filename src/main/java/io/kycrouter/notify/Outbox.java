package io.kycrouter.notify;

import io.kycrouter.store.GroupCommit;
import io.kycrouter.store.StoreUnavailable;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kycrouter.store.Inbox.utc;

/**
 * The outbox table: claiming due deliveries (safely across instances), recording each attempt's outcome,
 * and the operator's view and replay of dead letters.
 */
public final class Outbox {

    /**
     * A claimed delivery: the outbox row and the canonical event it carries. {@code eventSeq} orders one
     * verification's rows (the inbox id: the order the deliveries were received in).
     */
    public record Row(long id, String eventId, String target, String vendor, String verificationId, long eventSeq,
                      int attempts, Instant createdAt, String payload) {

        /** The rows of each verification, in the order given; verifications in the order first met. */
        static Map<String, List<Row>> byVerification(List<Row> rows) {
            Map<String, List<Row>> grouped = new LinkedHashMap<>();
            for (Row row : rows) {
                grouped.computeIfAbsent(row.vendor() + '\n' + row.verificationId(), k -> new ArrayList<>()).add(row);
            }
            return grouped;
        }
    }

    private static final String COLUMNS = "o.id, o.event_id, o.target, o.vendor, o.verification_id, o.event_seq, o.attempts,"
            + " o.created_at, c.payload";

    /** A row its receiver took, with the receiver's status (null for a Kafka target). */
    public record Delivered(long id, Integer status) {
    }

    private static final String DELIVERED = "update outbox set state = 'delivered', delivered_at = ?, attempts = attempts + 1,"
            + " last_status = ?, last_error = null, claimed_by = null, claimed_until = null where id = ? and state = 'pending'";

    private final DataSource dataSource;
    private final Clock clock;
    private final int recoveryMaxAttempts;
    private final GroupCommit<List<Delivered>, List<Boolean>> deliveredWriter;

    /** @param recoveryMaxAttempts how often the inbox recovery retries a delivery it could not map */
    public Outbox(DataSource dataSource, Clock clock, int recoveryMaxAttempts, int maxBatch, Duration wait) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.recoveryMaxAttempts = recoveryMaxAttempts;
        // an item is one drain's delivered rows (or one row); concurrent drains share a transaction
        this.deliveredWriter = new GroupCommit<>("outbox", dataSource, maxBatch, wait, this::markDelivered,
                rows -> rows.stream().map(d -> update(DELIVERED, utc(clock.instant()), d.status(), d.id()) == 1).toList());
    }

    /**
     * Claims up to {@code limit} due rows of one target for {@code lease}: a row is due when pending, its next
     * attempt time has come and no live claim holds it. With {@code ordered}, a row waits while an earlier event
     * of the same verification is still pending for this target, and while an earlier delivery of the same vendor
     * is still to be mapped (event_seq is the inbox id: the order deliveries were received in). Each claim is a conditional update, so two
     * instances never hold the same row; a crashed instance's claims lapse when the lease ends.
     */
    public List<Row> claim(TargetDefinition target, String instance, Duration lease, int limit) {
        Instant now = clock.instant();
        List<Row> candidates = new ArrayList<>();
        List<Row> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (disabled(c, target.name())) {
                return claimed; // its receiver answered 410 Gone: nothing is sent until an operator enables it
            }
            // an earlier delivery of a vendor not mapped yet (a database failure interrupted it; the inbox recovery
            // will map it) may be of the same verification: an ordered target waits for it, unless the recovery has
            // given up on it. Read once per claim (normally nothing), not as a subquery per candidate row, whose plan
            // H2 may turn into a scan of the inbox.
            Map<String, Long> unmapped = target.ordered() ? firstUnmapped(c) : Map.of();
            String sql = "select " + COLUMNS + " from outbox o join canonical_event c on c.event_id = o.event_id"
                    // coalesce: the time test must not pick (state, next_attempt_at) as the index to read; the rows are
                    // read from ix_outbox_claim in event order, so the scan stops after one batch whatever the backlog
                    + " where o.target = ? and o.state = 'pending' and coalesce(o.next_attempt_at, o.created_at) <= ?"
                    + " and (o.claimed_until is null or o.claimed_until < ?)"
                    // ordered: the row is the verification's earliest pending one. A scalar subquery, not "not exists":
                    // it stays a per-row lookup of one entry of ix_outbox_order_pending, where an anti-join could be
                    // planned (on stale statistics) as a re-read of the target's whole backlog for each candidate
                    + (target.ordered() ? " and (select min(p.event_seq) from outbox p where p.target = o.target and p.vendor = o.vendor"
                    + " and p.verification_id = o.verification_id and p.state = 'pending') = o.event_seq" : "")
                    + " and not (o.vendor = ? and o.event_seq > ?)".repeat(unmapped.size())
                    + " order by o.target, o.state, o.event_seq fetch first " + limit + " rows only";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, target.name());
                s.setObject(2, utc(now));
                s.setObject(3, utc(now));
                int i = 4;
                for (Map.Entry<String, Long> held : unmapped.entrySet()) {
                    s.setString(i++, held.getKey());
                    s.setLong(i++, held.getValue());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getLong(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class).toInstant(), rs.getString(9)));
                    }
                }
            }
            if (candidates.isEmpty()) {
                return claimed;
            }
            inTransaction(c, () -> { // one commit for the whole batch of claims
                try (PreparedStatement s = c.prepareStatement("update outbox set claimed_by = ?, claimed_until = ? where id = ?"
                        + " and state = 'pending' and (claimed_until is null or claimed_until < ?)")) {
                    for (Row row : candidates) {
                        s.setString(1, instance);
                        s.setObject(2, utc(now.plus(lease)));
                        s.setLong(3, row.id());
                        s.setObject(4, utc(now));
                        if (s.executeUpdate() == 1) {
                            claimed.add(row);
                        }
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox claim failed: " + e.getMessage(), e);
        }
        return claimed;
    }

    /**
     * Of rows {@code instance} claimed when it wrote them (see {@link OutboxHandoff}), those that may be sent now,
     * in the order given. The others are given back (their claim cleared) for the claim query to take in turn:
     * all of them while the target is disabled; for an ordered target, a row behind an earlier delivery of its
     * vendor still to be mapped, or behind an earlier pending row of its verification that is not ahead of it in
     * this batch. The same tests as {@link #claim}, read in the same order (the inbox before the outbox, so that
     * a recovery committing in between is seen in one or the other), without the claim's join and commit.
     */
    public List<Row> admit(TargetDefinition target, String instance, List<Row> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        List<Row> admitted = new ArrayList<>(rows.size());
        List<Row> back = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (disabled(c, target.name())) {
                back.addAll(rows);
            } else if (!target.ordered()) {
                admitted.addAll(rows);
            } else {
                Map<String, Long> unmapped = firstUnmapped(c);
                List<Row> mappable = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    Long first = unmapped.get(row.vendor());
                    (first != null && row.eventSeq() > first ? back : mappable).add(row);
                }
                try (PreparedStatement s = c.prepareStatement("select id from outbox where target = ? and vendor = ?"
                        + " and verification_id = ? and state = 'pending' order by event_seq fetch first ? rows only")) {
                    for (List<Row> verification : Row.byVerification(mappable).values()) {
                        verification.sort(Comparator.comparingLong(Row::eventSeq));
                        Row head = verification.get(0);
                        s.setString(1, target.name());
                        s.setString(2, head.vendor());
                        s.setString(3, head.verificationId());
                        s.setInt(4, verification.size());
                        int i = 0;
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next() && i < verification.size() && rs.getLong(1) == verification.get(i).id()) {
                                i++;
                            }
                        }
                        admitted.addAll(verification.subList(0, i)); // the verification's earliest pending rows, in order
                        back.addAll(verification.subList(i, verification.size()));
                    }
                }
            }
            if (!back.isEmpty()) {
                giveBack(c, instance, back);
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox admission failed: " + e.getMessage(), e);
        }
        return admitted;
    }

    /**
     * Moves this instance's claims of the rows {@code ids} of a target to {@code until} (see {@link ClaimRenewal}):
     * rows another instance took over, settled or given back meanwhile are not touched. Returns how many it renewed.
     */
    public int renew(String target, String instance, List<Long> ids, Instant until) {
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        Object[] params = new Object[3 + ids.size()];
        params[0] = utc(until);
        params[1] = target;
        params[2] = instance;
        for (int i = 0; i < ids.size(); i++) {
            params[3 + i] = ids.get(i);
        }
        return update("update outbox set claimed_until = ? where target = ? and claimed_by = ? and state = 'pending'"
                + " and id in (" + in + ")", params);
    }

    /** Clears this instance's claims of the rows: the claim query may take them at once. */
    public void giveBack(String instance, List<Row> rows) {
        try (Connection c = dataSource.getConnection()) {
            giveBack(c, instance, rows);
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox claim release failed: " + e.getMessage(), e);
        }
    }

    private static void giveBack(Connection c, String instance, List<Row> rows) throws SQLException {
        inTransaction(c, () -> {
            try (PreparedStatement s = c.prepareStatement("update outbox set claimed_by = null, claimed_until = null"
                    + " where id = ? and claimed_by = ? and state = 'pending'")) {
                for (Row row : rows) {
                    s.setLong(1, row.id());
                    s.setString(2, instance);
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
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

    /**
     * Whether the target is switched off. A query of its own, not a subquery of the claim: on an empty
     * notify_target_state PostgreSQL estimates the claim at one row and then sorts the whole backlog instead of
     * reading ix_outbox_claim in order.
     */
    private static boolean disabled(Connection c, String target) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from notify_target_state where target = ? and disabled_at is not null")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Per vendor, the lowest inbox id still to be mapped by the inbox recovery (usually none). */
    private Map<String, Long> firstUnmapped(Connection c) throws SQLException {
        Map<String, Long> first = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("select vendor, min(id) from inbox where processed_at is null"
                + " and attempts < ? group by vendor")) {
            s.setInt(1, recoveryMaxAttempts);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    first.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return first;
    }

    /** Gives back the claims of this instance (graceful stop): another instance may take them at once. */
    public void release(String instance) {
        update("update outbox set claimed_by = null, claimed_until = null where claimed_by = ? and state = 'pending'", instance);
    }

    /**
     * Switches the target off until an operator enables it. Several workers, of this instance or another, may be
     * told 410 at once: the first one's time and reason stay, the others find the target already off.
     */
    public void disableTarget(String target, String reason) {
        OffsetDateTime now = utc(clock.instant());
        try {
            update("insert into notify_target_state (target, disabled_at, reason) values (?,?,?)", target, now, cut(reason));
        } catch (StoreUnavailable e) {
            if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                throw e;
            }
            update("update notify_target_state set disabled_at = ?, reason = ? where target = ? and disabled_at is null",
                    now, cut(reason), target);
        }
    }

    /** Enables a target a receiver had switched off (410); returns whether it was disabled. */
    public boolean enableTarget(String target) {
        return update("delete from notify_target_state where target = ?", target) > 0;
    }

    public List<Map<String, Object>> disabledTargets() {
        return query("select target as \"target\", disabled_at as \"disabledAt\", reason as \"reason\" from notify_target_state"
                + " where disabled_at is not null order by target");
    }

    /** Deliveries for the operator, newest first, optionally by state and target. */
    public List<Map<String, Object>> list(String state, String target, int limit) {
        StringBuilder sql = new StringBuilder("select o.id as \"id\", o.event_id as \"eventId\", o.target as \"target\","
                + " o.vendor as \"vendor\", o.verification_id as \"verificationId\", o.state as \"state\","
                + " o.attempts as \"attempts\", o.created_at as \"createdAt\", o.next_attempt_at as \"nextAttemptAt\","
                + " o.delivered_at as \"deliveredAt\", o.last_status as \"lastStatus\", o.last_error as \"lastError\""
                + " from outbox o where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (state != null) {
            sql.append(" and o.state = ?");
            params.add(state);
        }
        if (target != null) {
            sql.append(" and o.target = ?");
            params.add(target);
        }
        sql.append(" order by o.id desc fetch first ").append(limit).append(" rows only");
        return query(sql.toString(), params.toArray());
    }

    /** Puts one dead (or delivered) row back to pending, due now, with a fresh attempt count. */
    public boolean replay(long id) {
        return update("update outbox set state = 'pending', attempts = 0, next_attempt_at = ?, claimed_by = null,"
                + " claimed_until = null where id = ? and state in ('dead', 'delivered')", utc(clock.instant()), id) == 1;
    }

    /** Puts a target's dead rows created since {@code since} back to pending; returns how many. */
    public int replayDead(String target, Instant since) {
        return update("update outbox set state = 'pending', attempts = 0, next_attempt_at = ?, claimed_by = null,"
                + " claimed_until = null where target = ? and state = 'dead' and created_at >= ?", utc(clock.instant()), target, utc(since));
    }

    /**
     * Enqueues, for a target, every canonical event since {@code since} that never had a delivery to it (a target
     * added later, or a filter widened), provided the target's filter accepts it; returns how many.
     */
    public int backfill(TargetDefinition target, Instant since, java.util.function.Predicate<String> acceptsPayload) {
        String select = "select c.event_id, c.inbox_id, c.vendor, c.verification_id, c.payload from canonical_event c"
                + " where c.received_at >= ? and not exists (select 1 from outbox o where o.event_id = c.event_id and o.target = ?)"
                + " order by c.inbox_id";
        int added = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(select);
             PreparedStatement insert = c.prepareStatement("insert into outbox (event_id, event_seq, target, vendor,"
                     + " verification_id, state, created_at, next_attempt_at) values (?,?,?,?,?,'pending',?,?)")) {
            s.setObject(1, utc(since));
            s.setString(2, target.name());
            Instant now = clock.instant();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!acceptsPayload.test(rs.getString(5))) {
                        continue;
                    }
                    insert.setString(1, rs.getString(1));
                    insert.setLong(2, rs.getLong(2));
                    insert.setString(3, target.name());
                    insert.setString(4, rs.getString(3));
                    insert.setString(5, rs.getString(4));
                    insert.setObject(6, utc(now));
                    insert.setObject(7, utc(now));
                    try {
                        added += insert.executeUpdate();
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e; // a concurrent backfill inserted it first: fine
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox backfill failed: " + e.getMessage(), e);
        }
        return added;
    }

    /**
     * Per target: pending rows, age of the oldest pending one (ms), and dead rows (for metrics). One range of
     * ix_outbox_claim per target and state: the delivered rows, most of the table, are not read.
     */
    public Map<String, long[]> depth(List<String> targets) {
        Map<String, long[]> depth = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*), min(created_at) from outbox where target = ? and state = ?")) {
            for (String target : targets) {
                long[] values = new long[3];
                s.setString(1, target);
                s.setString(2, "pending");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    values[0] = rs.getLong(1);
                    OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                    values[1] = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toMillis());
                }
                s.setString(2, "dead");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    values[2] = rs.getLong(1);
                }
                depth.put(target, values);
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox depth could not be read: " + e.getMessage(), e);
        }
        return depth;
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} on {@code c} as one transaction: committed whole or rolled back whole. */
    private static void inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox update failed: " + e.getMessage(), e);
        }
    }

    private List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof OffsetDateTime || value instanceof java.sql.Timestamp) {
                            value = rs.getObject(i, OffsetDateTime.class).toInstant().toString();
                        }
                        row.put(rs.getMetaData().getColumnLabel(i), value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox query failed: " + e.getMessage(), e);
        }
    }

    private static String cut(String s) {
        return s == null ? null : s.substring(0, Math.min(s.length(), 1000));
    }
}
