package io.kycrouter.store;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a table that only grows (on the database the tests run on): a run purges every old processed body in
 * batches, keeps parked and recent ones, and the next run does not read the purged rows again but resumes at the
 * first recent one; the periodic full pass purges what a short run cannot see.
 */
class RetentionTest {

    static RunningRouter router;
    static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.defaults(RunningRouter.tempDir("retention-runs")));
        dataSource = router.main().getCamelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void aRunResumesAtTheFirstRecentRowAndAFullPassPurgesWhatItCouldNotSee() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long first = insert("old", 300, now.minusDays(40), true);
        insert("parked", 1, now.minusDays(40), false);
        insert("behind-parked", 50, now.minusDays(40), true);
        long recent = insert("recent", 20, now.minusDays(1), true);

        Retention retention = new Retention(dataSource, Clock.systemUTC(), Duration.ofDays(30), 7, Duration.ZERO);
        assertThat(retention.purge()).as("a full pass first, in batches of 7").isEqualTo(350);
        assertThat(bodies("old-%") + bodies("behind-parked-%")).isZero();
        assertThat(bodies("parked-%")).isEqualTo(1);
        assertThat(bodies("recent-%")).isEqualTo(20);

        // older rows come in after the recent ones (on another instance, say), and the recent ones grow old
        insert("late", 30, now.minusDays(40), true);
        age("recent-%", now.minusDays(35));
        assertThat(retention.purge()).isEqualTo(50);
        assertThat(retention.lastRead()).as("only the rows from the first recent one on are read again: %d rows "
                + "before it", recent - first).isLessThanOrEqualTo(50 + 7);

        // a parked delivery mapped again once the runs had passed it: the next full pass purges its body
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update inbox set processed_at = ? where event_key like 'parked-%'")) {
            s.setObject(1, now);
            s.executeUpdate();
        }
        int purged = 0;
        for (int run = 2; run < Retention.FULL_PASS_EVERY; run++) {
            purged += retention.purge();
        }
        assertThat(purged).as("short runs do not go back").isZero();
        assertThat(retention.purge()).as("the full pass").isEqualTo(1);
        assertThat(bodies("%")).isZero();
        assertThat(router.count("select count(*) from inbox where event_key like 'old-%'")).as("rows and keys stay").isEqualTo(300);
    }

    /** Inserts n rows with keys prefix-0.., returns the first id. */
    private static long insert(String prefix, int n, OffsetDateTime receivedAt, boolean processed) throws Exception {
        long firstId = -1;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into inbox (vendor, event_key, received_at, body, processed_at) values ('sumsub', ?, ?, '{}', ?)",
                new String[] {"id"})) {
            for (int i = 0; i < n; i++) {
                s.setString(1, prefix + "-" + i);
                s.setObject(2, receivedAt);
                s.setObject(3, processed ? receivedAt : null);
                s.executeUpdate();
                try (var keys = s.getGeneratedKeys()) {
                    keys.next();
                    firstId = firstId < 0 ? keys.getLong(1) : firstId;
                }
            }
        }
        return firstId;
    }

    private static void age(String keys, OffsetDateTime receivedAt) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update inbox set received_at = ?, processed_at = ? where event_key like ?")) {
            s.setObject(1, receivedAt);
            s.setObject(2, receivedAt);
            s.setString(3, keys);
            s.executeUpdate();
        }
    }

    private static long bodies(String keys) throws Exception {
        return router.count("select count(*) from inbox where event_key like ? and body is not null", keys);
    }
}
