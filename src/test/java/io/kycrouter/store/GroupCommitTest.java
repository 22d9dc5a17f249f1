package io.kycrouter.store;

import io.kycrouter.support.RunningRouter;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GroupCommit on an in-memory H2 database: a table of unique keys written in batches. */
class GroupCommitTest {

    DataSource db;
    Connection keepAlive;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<List<Boolean>> committed = new CopyOnWriteArrayList<>();
    GroupCommit<String, Boolean> writer;

    @BeforeEach
    void start() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:group-" + UUID.randomUUID());
        db = h2;
        keepAlive = db.getConnection(); // an in-memory database lives while a connection is open
        keepAlive.createStatement().execute("create table item (k varchar(20) primary key)");
    }

    @AfterEach
    void stop() throws SQLException {
        if (writer != null) {
            writer.close();
        }
        keepAlive.close();
    }

    GroupCommit<String, Boolean> writer(DataSource dataSource, GroupCommit.Batch<String, Boolean> batch) {
        return new GroupCommit<>("test", dataSource, 64, Duration.ofSeconds(30), batch, this::alone, committed::add);
    }

    List<Boolean> insertAll(Connection c, List<String> items) throws SQLException {
        batchSizes.add(items.size());
        List<Boolean> done = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("insert into item (k) values (?)")) {
            for (String item : items) {
                s.setString(1, item);
                done.add(s.executeUpdate() == 1);
            }
        }
        return done;
    }

    /** The single-item path: a duplicate key is "not written", not an error. */
    Boolean alone(String item) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into item (k) values (?)")) {
            s.setString(1, item);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                return false;
            }
            throw new StoreUnavailable("single write failed", e);
        }
    }

    List<String> keys() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = keepAlive.createStatement().executeQuery("select k from item order by k")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    @Test
    void concurrentCallersShareOneTransaction() throws Exception {
        CountDownLatch inFirstBatch = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        writer = writer(db, (c, items) -> {
            if (items.contains("first")) { // hold the writer so that the others queue up behind it
                inFirstBatch.countDown();
                await(go);
            }
            return insertAll(c, items);
        });
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            Future<Boolean> first = callers.submit(() -> writer.submit("first"));
            assertThat(inFirstBatch.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<Boolean>> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String key = "k" + i;
                others.add(callers.submit(() -> writer.submit(key)));
            }
            // Awaitility by its class name: this class's own await(CountDownLatch) hides a static import of the name
            Awaitility.await("the other callers queued behind the held batch").atMost(RunningRouter.WAIT)
                    .until(() -> writer.queued() == others.size());
            go.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            for (Future<Boolean> f : others) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(batchSizes).containsExactly(1, 5);
        assertThat(keys()).containsExactly("first", "k0", "k1", "k2", "k3", "k4");
        assertThat(committed).hasSize(2);
    }

    @Test
    void aLingeringWriterWaitsForMoreItemsToJoinTheBatch() throws Exception {
        // the longest linger there is and a batch of two: the second item, however late, joins the first one's batch
        writer = new GroupCommit<>("test", db, 2, Duration.ofSeconds(30), Duration.ofMinutes(5), this::insertAll, this::alone,
                committed::add);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = callers.submit(() -> writer.submit("first"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == 0); // taken, lingering
            assertThat(first.isDone()).isFalse();
            Future<Boolean> second = callers.submit(() -> writer.submit("second"));
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(batchSizes).containsExactly(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aBatchLargeEnoughIsWrittenWithoutWaitingOutTheLinger() throws Exception {
        writer = new GroupCommit<>("test", db, 64, Duration.ofSeconds(30), Duration.ofMinutes(5), this::insertAll, this::alone,
                committed::add);
        ExecutorService callers = Executors.newFixedThreadPool(GroupCommit.LINGER_UNTIL);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < GroupCommit.LINGER_UNTIL; i++) {
                String key = "k" + i;
                results.add(callers.submit(() -> writer.submit(key)));
            }
            for (Future<Boolean> result : results) { // long before the five minutes of linger
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(batchSizes).as("one batch: it lingered until it had enough").containsExactly(GroupCommit.LINGER_UNTIL);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aLingerRunsOutAndTheItemIsWrittenAlone() {
        writer = new GroupCommit<>("test", db, 64, Duration.ofSeconds(30), Duration.ofMillis(20), this::insertAll, this::alone,
                committed::add);
        assertThat(writer.submit("alone")).isTrue();
        assertThat(writer.submit("alone")).isFalse(); // a duplicate: its batch was refused, then written alone
        assertThat(batchSizes).containsExactly(1, 1);
    }

    @Test
    void aRefusedBatchIsRolledBackAndEachItemWrittenAlone() throws Exception {
        keepAlive.createStatement().execute("insert into item (k) values ('taken')");
        writer = writer(db, this::insertAll);
        // the duplicate key refuses the batch; the single-item path then answers for it
        assertThat(writer.submit("taken")).isFalse();
        assertThat(writer.submit("fresh")).isTrue();
        assertThat(keys()).containsExactly("fresh", "taken");
        assertThat(committed).as("the refused batch ran no after-commit step").hasSize(1);
    }

    @Test
    void anItemThatFailsAloneFailsOnlyItsCaller() {
        GroupCommit<String, Boolean> failing = new GroupCommit<>("test", db, 64, Duration.ofSeconds(30),
                (c, items) -> {
                    throw new SQLException("refused", "42000");
                }, item -> {
                    if (item.equals("bad")) {
                        throw new IllegalArgumentException("bad item");
                    }
                    return alone(item);
                });
        try {
            assertThatThrownBy(() -> failing.submit("bad")).isInstanceOf(IllegalArgumentException.class);
            assertThat(failing.submit("good")).isTrue();
        } finally {
            failing.close();
        }
    }

    @Test
    void noConnectionMeansTheStoreIsUnavailable() {
        JdbcDataSource nowhere = new JdbcDataSource();
        nowhere.setURL("jdbc:h2:mem:x;IFEXISTS=TRUE"); // refuses to create the database
        writer = writer(nowhere, this::insertAll);
        assertThatThrownBy(() -> writer.submit("k")).isInstanceOf(StoreUnavailable.class).hasMessageContaining("no database connection");
    }

    @Test
    void afterCloseSubmissionsAreRefused() {
        writer = writer(db, this::insertAll);
        assertThat(writer.submit("before")).isTrue();
        writer.close();
        assertThatThrownBy(() -> writer.submit("after")).isInstanceOf(StoreUnavailable.class).hasMessageContaining("stopping");
    }

    @Test
    void aCommitNotConfirmedInTimeIsReportedUnavailable() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        writer = new GroupCommit<>("test", db, 64, Duration.ofMillis(200), (c, items) -> {
            await(go);
            return insertAll(c, items);
        }, this::alone);
        try {
            assertThatThrownBy(() -> writer.submit("slow")).isInstanceOf(StoreUnavailable.class).hasMessageContaining("not confirmed");
        } finally {
            go.countDown();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
