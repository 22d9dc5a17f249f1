package io.kycrouter.notify;

import io.kycrouter.store.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static io.kycrouter.notify.OutboxSql.cut;
import static io.kycrouter.store.Inbox.utc;

/** Which targets are switched off (their receiver answered 410 Gone) until an operator enables them again. */
public final class TargetSwitch {

    private final DataSource dataSource;
    private final Clock clock;

    public TargetSwitch(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Whether the target is switched off. A query of its own, not a subquery of the claim: on an empty
     * notify_target_state PostgreSQL estimates the claim at one row and then sorts the whole backlog instead of
     * reading ix_outbox_claim in order.
     */
    static boolean disabled(Connection c, String target) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from notify_target_state where target = ? and disabled_at is not null")) {
            s.setString(1, target);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the target is switched off (its receiver answered 410 Gone and no operator has enabled it since). */
    public boolean isDisabled(String target) {
        try (Connection c = dataSource.getConnection()) {
            return disabled(c, target);
        } catch (SQLException e) {
            throw new StoreUnavailable("target state not read: " + e.getMessage(), e);
        }
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

    /** The targets switched off, with when and why, for the operator. */
    public List<Map<String, Object>> disabledTargets() {
        return OutboxSql.query(dataSource, "select target as \"target\", disabled_at as \"disabledAt\", reason as \"reason\" from notify_target_state"
                + " where disabled_at is not null order by target");
    }

    private int update(String sql, Object... params) {
        return OutboxSql.update(dataSource, sql, params);
    }
}
