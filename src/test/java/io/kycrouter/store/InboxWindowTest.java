package io.kycrouter.store;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's overview reads the last day's inbox rows through their id range, found by a search over the primary
 * key, not by reading the whole table: the range starts at the first row received within the window (less the clocks'
 * slack), with gaps in the ids and an empty table too.
 */
class InboxWindowTest {

    static RunningRouter router;
    static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.defaults(RunningRouter.tempDir("inbox-window")));
        dataSource = router.main().getCamelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void theFirstIdOfAWindowIsFoundByTheKey() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = dataSource.getConnection()) {
            assertThat(Inbox.firstIdSince(c, now, Duration.ZERO)).as("an empty inbox").isZero();
            long[] ids = new long[100];
            for (int i = 0; i < ids.length; i++) { // one row an hour, oldest first; ids with gaps (rolled-back inserts)
                ids[i] = insert(c, "w-" + i, now.minus(Duration.ofHours(ids.length - i)), 1 + i % 3);
            }
            // an id between the row before and the first row of the window (an unused id in between reads the same rows)
            assertThat(Inbox.firstIdSince(c, now.minus(Duration.ofHours(24)), Duration.ZERO)).isBetween(ids[75] + 1, ids[76]);
            assertThat(Inbox.firstIdSince(c, now.minus(Duration.ofMinutes(90)), Duration.ZERO)).isBetween(ids[98] + 1, ids[99]);
            assertThat(Inbox.firstIdSince(c, now.minus(Duration.ofMinutes(90)), Duration.ofMinutes(40))).isBetween(ids[97] + 1, ids[98]);
            assertThat(Inbox.firstIdSince(c, now.minus(Duration.ofDays(30)), Duration.ZERO)).as("all of them").isLessThanOrEqualTo(ids[0]);
            assertThat(Inbox.firstIdSince(c, now, Duration.ZERO)).as("none: past the last row").isGreaterThan(ids[99]);
            try (PreparedStatement s = c.prepareStatement("select count(*) from inbox where id >= ?")) {
                s.setLong(1, Inbox.firstIdSince(c, now.minus(Duration.ofHours(24)), Duration.ZERO));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    assertThat(r.getLong(1)).isEqualTo(24);
                }
            }
        }
    }

    private static long last;

    /** Inserts a row with an explicit id after {@code gap - 1} unused ids; returns its id. */
    private static long insert(Connection c, String key, Instant receivedAt, int gap) throws Exception {
        last += gap;
        try (PreparedStatement s = c.prepareStatement(
                "insert into inbox (id, vendor, event_key, received_at, body, processed_at) values (?, 'sumsub', ?, ?, '{}', ?)")) {
            s.setLong(1, 1_000_000 + last);
            s.setString(2, key);
            s.setObject(3, Inbox.utc(receivedAt));
            s.setObject(4, Inbox.utc(receivedAt));
            s.executeUpdate();
        }
        return 1_000_000 + last;
    }
}
