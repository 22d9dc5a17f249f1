package io.kycrouter.notify;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kycrouter.notify.OutboxSql.inTransaction;
import static io.kycrouter.store.Inbox.utc;

/**
 * Claims on outbox rows: taking due rows of a target (safely across instances), renewing the claims of attempts in
 * flight, and giving claims back; and what an ordered target's cursor must know before it sends an event (an earlier
 * delivery still pending for its verification, or still to be mapped).
 */
public final class OutboxClaims {

    private static final String COLUMNS = "o.id, o.event_id, o.target, o.vendor, o.verification_id, o.event_seq, o.attempts,"
            + " o.created_at, c.payload";

    private final DataSource dataSource;
    private final Clock clock;
    private final int recoveryMaxAttempts;

    /** @param recoveryMaxAttempts how often the inbox recovery retries a delivery it could not map */
    public OutboxClaims(DataSource dataSource, Clock clock, int recoveryMaxAttempts) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.recoveryMaxAttempts = recoveryMaxAttempts;
    }

    /**
     * Claims up to {@code limit} due rows of one target for {@code lease}: a row is due when pending, its next
     * attempt time has come and no live claim holds it. With {@code ordered}, a row waits while an earlier event
     * of the same verification is still pending for this target or not yet passed by its cursor, and while an earlier
     * delivery of the same vendor is still to be mapped (event_seq is the inbox id: the order deliveries were received in). Each claim is a conditional update, so two
     * instances never hold the same row; a crashed instance's claims lapse when the lease ends.
     */
    public List<OutboxRow> claim(TargetDefinition target, String instance, Duration lease, int limit) {
        Instant now = clock.instant();
        List<OutboxRow> candidates = new ArrayList<>();
        List<OutboxRow> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (TargetSwitch.disabled(c, target.name())) {
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
                    // ordered: nor may it overtake an earlier delivery of its verification whose event the target's
                    // cursor has not passed yet (mapped late by the inbox recovery, it sits in the log after later ones)
                    + (target.ordered() ? " and not exists (select 1 from canonical_event e where e.vendor = o.vendor"
                    + " and e.verification_id = o.verification_id and e.inbox_id < o.event_seq"
                    + " and e.seq > (select n.position from notify_cursor n where n.target = o.target))" : "")
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
                        candidates.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
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
                    for (OutboxRow row : candidates) {
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
     * Of the events a target's cursor passes, the verifications that still have a delivery pending for the target (an
     * ordered target's later event waits behind it). One count of the target's pending rows first: usually none.
     */
    Set<String> verificationsPending(String target, List<TargetCursors.LogEvent> events) {
        Set<String> pending = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("select count(*) from outbox where target = ? and state = 'pending'")) {
                s.setString(1, target);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getLong(1) == 0) {
                        return pending;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("select 1 from outbox where target = ? and vendor = ?"
                    + " and verification_id = ? and state = 'pending' fetch first 1 rows only")) {
                for (TargetCursors.LogEvent e : events) {
                    s.setString(1, target);
                    s.setString(2, e.vendor());
                    s.setString(3, e.verificationId());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            pending.add(e.verificationKey());
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox read failed: " + e.getMessage(), e);
        }
        return pending;
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
    public void giveBack(String instance, List<OutboxRow> rows) {
        try (Connection c = dataSource.getConnection()) {
            giveBack(c, instance, rows);
        } catch (SQLException e) {
            throw new StoreUnavailable("outbox claim release failed: " + e.getMessage(), e);
        }
    }

    private static void giveBack(Connection c, String instance, List<OutboxRow> rows) throws SQLException {
        inTransaction(c, () -> {
            try (PreparedStatement s = c.prepareStatement("update outbox set claimed_by = null, claimed_until = null"
                    + " where id = ? and claimed_by = ? and state = 'pending'")) {
                for (OutboxRow row : rows) {
                    s.setLong(1, row.id());
                    s.setString(2, instance);
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** Per vendor, the lowest inbox id still to be mapped by the inbox recovery (usually none). */
    Map<String, Long> firstUnmapped() {
        try (Connection c = dataSource.getConnection()) {
            return firstUnmapped(c);
        } catch (SQLException e) {
            throw new StoreUnavailable("inbox read failed: " + e.getMessage(), e);
        }
    }

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

    private int update(String sql, Object... params) {
        return OutboxSql.update(dataSource, sql, params);
    }
}
