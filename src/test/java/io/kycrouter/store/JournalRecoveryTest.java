package io.kycrouter.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded H2 with the delivery journal: H2 writes its file only at checkpoints, so a crash loses what was
 * committed since; the deliveries the vendors were told were accepted are in the journal and written again at the next
 * start, each with the same canonical event (same event id), the verification's state as before, an unmappable one
 * parked again. A crash is H2's SHUTDOWN IMMEDIATELY: the database closes without writing its file.
 */
class JournalRecoveryTest {

    private final Clock clock = Clock.systemUTC();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void deliveriesCommittedAfterTheLastCheckpointAreWrittenAgainWithTheirEvents() throws Exception {
        Path dir = RunningRouter.tempDir("journal-recovery");
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        List<Intake.Accepted> accepted = List.of(
                delivery("k1", "ver-1", CanonicalStatus.PENDING_REVIEW, t0),
                delivery("k2", "ver-1", CanonicalStatus.APPROVED, t0.plusSeconds(60)),
                delivery("k3", "ver-2", CanonicalStatus.REJECTED, t0),
                new Intake.Accepted(new Inbox.Incoming("sumsub", "k4", "{\"type\":\"unknown\"}", t0, "hmac-sha256"), null,
                        "no mapping for type unknown"));
        try (Opened db = open(dir)) {
            for (Intake.Accepted a : accepted) {
                db.intake.accept(a);
            }
            assertThat(db.intake.accept(accepted.get(0)).duplicate()).isTrue();
            assertThat(count(db.dataSource, "inbox")).isEqualTo(4);
            db.crash();
        }
        try (Opened db = open(dir)) {
            assertThat(count(db.dataSource, "inbox")).as("lost by the crash, before the journal is read").isZero();
            assertThat(db.intake.recover()).isEqualTo(4);
            assertThat(count(db.dataSource, "inbox")).isEqualTo(4);
            assertThat(strings(db.dataSource, "select event_id from canonical_event order by seq"))
                    .containsExactly(accepted.get(0).event().eventId(), accepted.get(1).event().eventId(),
                            accepted.get(2).event().eventId());
            assertThat(strings(db.dataSource, "select status from verification_state order by verification_id"))
                    .containsExactly("APPROVED", "REJECTED");
            assertThat(strings(db.dataSource, "select last_error from inbox where event_key = 'k4' and processed_at is null"))
                    .containsExactly("no mapping for type unknown");
            assertThat(strings(db.dataSource, "select body from inbox where event_key = 'k1'"))
                    .containsExactly(accepted.get(0).delivery().body());
            try (var files = Files.list(db.journal.directory())) {
                assertThat(files).as("the journal is empty once the deliveries are in the file").isEmpty();
            }
            db.crash(); // the recovery checkpointed: nothing is lost now
        }
        try (Opened db = open(dir)) {
            assertThat(db.intake.recover()).isZero();
            assertThat(count(db.dataSource, "inbox")).isEqualTo(4);
            assertThat(count(db.dataSource, "canonical_event")).isEqualTo(3);
        }
    }

    @Test
    void aDatabaseReopenedUnderTheRouterGetsTheJournalsDeliveriesAgain() throws Exception {
        Path dir = RunningRouter.tempDir("journal-reopen");
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        Intake.Accepted before = delivery("k1", "ver-1", CanonicalStatus.APPROVED, t0);
        Intake.Accepted other = delivery("k2", "ver-2", CanonicalStatus.REJECTED, t0);
        try (Opened db = open(dir)) {
            assertThat(db.intake.recover()).isZero();
            db.intake.accept(before);
            db.intake.accept(other);
            // H2 closes the database (as when writing its file fails) and the next connection opens it again
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException expected) {
                // the connection goes with the database
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> count(db.dataSource, "canonical_event") == 0);
            assertThatThrownBy(db.durability::checkpoint).as("not a checkpoint of the deliveries' database")
                    .isInstanceOf(StoreUnavailable.class);
            // the next delivery: the journal's go first, so that the event log keeps the order they were accepted in
            Intake.Accepted after = delivery("k3", "ver-1", CanonicalStatus.REJECTED, t0.plusSeconds(60));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !db.intake.accept(after).duplicate());
            assertThat(strings(db.dataSource, "select event_id from canonical_event order by seq"))
                    .containsExactly(before.event().eventId(), other.event().eventId(), after.event().eventId());
            assertThat(strings(db.dataSource, "select status from verification_state order by verification_id"))
                    .containsExactly("REJECTED", "REJECTED");
            db.durability.checkpointAndTrim();
            assertThat(db.journal.holdsAnything()).isFalse();
            db.durability.checkpoint(); // the reopened database is the journal's now
        }
    }

    @Test
    void deliveriesAlreadyInTheFileAreNotWrittenTwice() throws Exception {
        Path dir = RunningRouter.tempDir("journal-recovery-twice");
        Intake.Accepted a = delivery("k1", "ver-1", CanonicalStatus.APPROVED, Instant.parse("2026-12-01T10:00:00Z"));
        try (Opened db = open(dir)) {
            db.intake.accept(a);
            db.durability.checkpoint(); // in the file, the segment not yet deleted
            db.crash();
        }
        try (Opened db = open(dir)) {
            assertThat(count(db.dataSource, "inbox")).isEqualTo(1);
            assertThat(db.durability.journal().leftovers()).hasSize(1);
            assertThat(db.intake.recover()).isZero();
            assertThat(count(db.dataSource, "canonical_event")).isEqualTo(1);
            assertThat(db.durability.journal().leftovers()).isEmpty();
        }
    }

    @Test
    void theTimersCheckpointEmptiesTheJournal() throws Exception {
        Path dir = RunningRouter.tempDir("journal-trim");
        try (Opened db = open(dir)) {
            db.intake.accept(delivery("k1", "ver-1", CanonicalStatus.APPROVED, Instant.parse("2026-12-01T10:00:00Z")));
            assertThat(db.journal.holdsAnything()).isTrue();
            db.durability.checkpointAndTrim();
            assertThat(db.journal.holdsAnything()).isFalse();
            try (var files = Files.list(db.journal.directory())) {
                assertThat(files).isEmpty();
            }
            db.crash();
        }
        try (Opened db = open(dir)) {
            assertThat(count(db.dataSource, "inbox")).isEqualTo(1);
        }
    }

    private Intake.Accepted delivery(String key, String verification, CanonicalStatus status, Instant at) {
        VerificationEvent event = new VerificationEvent(UUID.randomUUID().toString(), "sumsub", "applicantReviewed", key,
                CanonicalType.VERIFICATION_COMPLETED, status, status.finalByDefault(), verification, null, null,
                List.of(new VerificationEvent.Reason("DOC_EXPIRED", null)),
                List.of(new VerificationEvent.Check("document", "passed", 0.97)), false, at.toString(), at.toString(), 0);
        return new Intake.Accepted(new Inbox.Incoming("sumsub", key, "{\"key\":\"" + key + "\",\"ü\":\"é\"}", at, "hmac-sha256"),
                event, null);
    }

    /** An embedded H2 file that writes itself only at a checkpoint, with the router's intake and journal. */
    private final class Opened implements AutoCloseable {
        final HikariDataSource dataSource;
        final DeliveryJournal journal;
        final Durability durability;
        final Intake intake;
        boolean crashed;

        Opened(Path dir) throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(Database.tuned("jdbc:h2:file:" + dir.resolve("kyc") + ";WRITE_DELAY=600000"));
            config.setUsername("sa");
            config.setExceptionOverrideClassName(BrokenConnectionEviction.class.getName()); // as the router's pool
            dataSource = new HikariDataSource(config);
            Database.migrate(dataSource);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT"); // the schema is in the file
            }
            journal = DeliveryJournal.open(dir.resolve("kyc.journal"));
            durability = Durability.journaled(dataSource, journal);
            intake = new Intake(dataSource, new Inbox(dataSource), new EventStore(dataSource, clock, json, 64,
                    Duration.ofSeconds(10), durability), clock, () -> { }, 64, Duration.ofSeconds(10), Duration.ZERO, durability);
        }

        /** Closes the database without writing its file, as a kill -9 would leave it. */
        void crash() throws SQLException {
            intake.close();
            journal.close();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException expected) {
                // the connection goes with the database
            }
            dataSource.close();
            crashed = true;
        }

        @Override
        public void close() {
            if (!crashed) {
                intake.close();
                durability.close();
                dataSource.close();
            }
        }
    }

    private Opened open(Path dir) throws Exception {
        return new Opened(dir);
    }

    private static long count(HikariDataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(HikariDataSource ds, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
