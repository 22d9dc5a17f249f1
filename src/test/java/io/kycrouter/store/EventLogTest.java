package io.kycrouter.store;

import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event log hands out positions in commit order, on the database the tests run on (H2, or PostgreSQL in its
 * profile): a transaction that reserves positions holds the head until it ends, so the next one waits and gets
 * the positions after it; a rolled-back reservation was never visible, and its positions are handed out again.
 */
class EventLogTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.defaults(RunningRouter.tempDir("event-log")));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void aSecondWriterWaitsForTheFirstsCommitAndGetsThePositionsAfterIt() throws Exception {
        try (Connection first = router.db(); Connection second = router.db()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            EventLog.Positions mine = EventLog.reserve(first, 3);
            long a = mine.next();
            assertThat(mine.next()).isEqualTo(a + 1);
            assertThat(mine.next()).isEqualTo(a + 2);
            AtomicBoolean committed = new AtomicBoolean();
            CompletableFuture<Long> theirs = CompletableFuture.supplyAsync(() -> {
                try {
                    long p = EventLog.reserve(second, 1).next();
                    assertThat(committed).as("reserved only once the first writer committed").isTrue();
                    second.commit();
                    return p;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // a window in which the second writer must stay blocked on the head
            await("the second writer blocked").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> !theirs.isDone());
            committed.set(true);
            first.commit();
            assertThat(theirs.get()).isEqualTo(a + 3);
        }
    }

    @Test
    void aRolledBackReservationIsHandedOutAgain() throws Exception {
        try (Connection c = router.db()) {
            c.setAutoCommit(false);
            long rolledBack = EventLog.reserve(c, 2).next();
            c.rollback();
            long next = EventLog.reserve(c, 1).next();
            c.commit();
            assertThat(next).isEqualTo(rolledBack);
            assertThat(EventLog.head(c)).isEqualTo(next);
        }
    }
}
