package io.kycrouter.notify;

import io.kycrouter.store.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kycrouter.store.Inbox.utc;

/**
 * The operator's view of the outbox: deliveries listed, dead letters replayed, a target backfilled with the events
 * it never had, and targets switched off by a 410 listed and enabled again.
 */
public final class Outbox {

    private final DataSource dataSource;
    private final Clock clock;
    private final TargetSwitch targets;
    private final TargetCursors cursors;

    public Outbox(DataSource dataSource, Clock clock, TargetSwitch targets, TargetCursors cursors) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.targets = targets;
        this.cursors = cursors;
    }

    /** Enables a target a receiver had switched off (410); returns whether it was disabled. */
    public boolean enableTarget(String target) {
        return targets.enableTarget(target);
    }

    public List<Map<String, Object>> disabledTargets() {
        return targets.disabledTargets();
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
        return OutboxSql.query(dataSource, sql.toString(), params.toArray());
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
     * Enqueues, for a target, every canonical event since {@code since} that came before the target existed (at or
     * below the position its cursor started at) and never had a delivery to it, provided the target's filter accepts
     * it and no remap superseded it; returns how many. The events after that position are the cursor's: each was
     * delivered, or has its row (a dead one is replayed by {@link #replayDead}).
     */
    public int backfill(TargetDefinition target, Instant since, java.util.function.Predicate<String> acceptsPayload) {
        long first = cursors.firstPosition(target.name());
        String select = "select c.event_id, c.inbox_id, c.vendor, c.verification_id, c.payload from canonical_event c"
                // an event replaced by a remap is not sent late: its replacement had its own notifications
                + " where c.received_at >= ? and c.seq <= ? and c.superseded_by is null"
                + " and not exists (select 1 from outbox o where o.event_id = c.event_id and o.target = ?)"
                + " order by c.inbox_id";
        int added = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(select);
             PreparedStatement insert = c.prepareStatement("insert into outbox (event_id, event_seq, target, vendor,"
                     + " verification_id, state, created_at, next_attempt_at) values (?,?,?,?,?,'pending',?,?)")) {
            s.setObject(1, utc(since));
            s.setLong(2, first);
            s.setString(3, target.name());
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

    private int update(String sql, Object... params) {
        return OutboxSql.update(dataSource, sql, params);
    }
}
