package io.kycrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded H2 file written the way the router writes it (WRITE_DELAY=0: a chunk per commit, no H2 housekeeping)
 * fills with chunks that only a few live pages keep; compaction rewrites those pages, the file's live share rises,
 * the freed space is reused, and no row is lost or changed. (The router keeps H2's retention time of 45 s: a chunk is
 * rewritten, and its space reused, once it is older than that.)
 */
class H2CompactionTest {

    @TempDir
    Path dir;

    @Test
    void rewritesTheEmptiestChunksSoThatTheFileShrinksAndLosesNothing() throws Exception {
        // H2 rewrites and reuses only chunks older than its retention time (45 s); the test does not wait that long
        try (HikariDataSource db = open(Database.tuned(Database.durable("jdbc:h2:file:" + dir.resolve("kyc") + ";RETENTION_TIME=0")))) {
            AtomicInteger timed = new AtomicInteger();
            H2Compaction compaction = new H2Compaction(db, 80, 1_048_576, nanos -> timed.incrementAndGet());
            long checksum = churn(db, 3_000);
            assertThat(compaction.chunksFillRate()).isLessThan(80);

            long churned = Files.size(dir.resolve("kyc.mv.db"));
            int rewrote = 0;
            for (int run = 0; run < 200; run++) {
                rewrote += compaction.compact() ? 1 : 0;
                touch(db); // the router commits all the time; each commit drops the chunks nothing uses any more
            }
            assertThat(timed).as("each run that rewrote chunks is timed (kyc_db_compaction_seconds)").hasValue(rewrote);
            assertThat(rewrote).isPositive();
            // the share H2 counts live settles somewhat below 80 % (meta pages, pages not full)
            assertThat(compaction.chunksFillRate()).isGreaterThanOrEqualTo(65);
            assertThat(Files.size(dir.resolve("kyc.mv.db"))).isLessThan(churned / 2);
            // nothing committed since the last run: nothing to do, nothing written
            compaction.compact();
            assertThat(compaction.compact()).isFalse();
            assertThat(sum(db)).isEqualTo(checksum + 200); // every row, and every hit (the 200 touches too)

            // the same churn again, compacted as it goes (as the router's timer does): the file grows far less
            long before = Files.size(dir.resolve("kyc.mv.db"));
            long grownCompacted = grownBy(db, compaction);
            long grownUncompacted = grownBy(db, null);
            assertThat(grownCompacted).as("growth with compaction, file was %d bytes", before).isLessThan(grownUncompacted * 3 / 4);
        }
    }

    @Test
    void doesNothingOnAnInMemoryDatabase() throws Exception {
        try (HikariDataSource db = open("jdbc:h2:mem:compaction;DB_CLOSE_DELAY=-1")) {
            H2Compaction compaction = new H2Compaction(db, 80, 1_048_576);
            churn(db, 200);
            assertThat(compaction.compact()).isFalse();
            assertThat(compaction.chunksFillRate()).isEqualTo(100);
        }
    }

    /** Bytes the file grows by over another round of churn, compacting after every 50 commits when given one. */
    private long grownBy(HikariDataSource db, H2Compaction compaction) throws Exception {
        long before = Files.size(dir.resolve("kyc.mv.db"));
        Random random = new Random(3);
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into item (body) values (?)");
             PreparedStatement update = c.prepareStatement("update item set hits = hits + 1 where id = ?")) {
            for (int commit = 0; commit < 3_000; commit++) {
                insert.setString(1, body(random));
                insert.executeUpdate();
                update.setLong(1, 1 + random.nextInt(1_000));
                update.executeUpdate();
                if (compaction != null && commit % 50 == 49) {
                    compaction.compact();
                }
            }
        }
        return Files.size(dir.resolve("kyc.mv.db")) - before;
    }

    private static void touch(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update item set hits = hits + 1 where id = 1");
        }
    }

    /** Small commits (autocommit): an insert of a new row, and an update of an old one; returns the hits' sum. */
    private static long churn(HikariDataSource db, int commits) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("create table item (id bigint generated by default as identity primary key, body varchar,"
                        + " hits int default 0 not null)");
            }
            Random random = new Random(7);
            try (PreparedStatement insert = c.prepareStatement("insert into item (body) values (?)");
                 PreparedStatement update = c.prepareStatement("update item set hits = hits + 1 where id = ?")) {
                for (int commit = 0; commit < commits; commit++) {
                    insert.setString(1, body(random));
                    insert.executeUpdate();
                    update.setLong(1, 1 + random.nextInt(commit + 1));
                    update.executeUpdate();
                }
            }
        }
        return sum(db);
    }

    private static String body(Random random) {
        StringBuilder b = new StringBuilder();
        while (b.length() < 1_000) {
            b.append(Long.toHexString(random.nextLong())).append(' ');
        }
        return b.toString();
    }

    private static long sum(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) * 1000000 + sum(hits) from item")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HikariDataSource open(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
