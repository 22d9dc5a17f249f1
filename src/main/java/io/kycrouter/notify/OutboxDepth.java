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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/** The outbox's depth per target, for the metrics. */
public final class OutboxDepth {

    private final DataSource dataSource;
    private final Clock clock;
    private final TargetCursors cursors;

    public OutboxDepth(DataSource dataSource, Clock clock, TargetCursors cursors) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.cursors = cursors;
    }

    /**
     * Per target: deliveries waiting (the events of the log after its cursor, and its pending rows), the age of the
     * oldest of them (ms), and dead rows (for metrics). One range of the log and one of ix_outbox_claim per target and
     * state: the delivered rows are not read.
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
                    OffsetDateTime oldestRow = rs.getObject(2, OffsetDateTime.class);
                    TargetCursors.Backlog backlog = cursors.backlog(c, target);
                    values[0] += backlog.events();
                    Instant oldest = oldestRow == null ? backlog.oldest()
                            : backlog.oldest() == null || oldestRow.toInstant().isBefore(backlog.oldest()) ? oldestRow.toInstant()
                            : backlog.oldest();
                    values[1] = oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis());
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
}
