package io.kycrouter.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link H2Instance#store}: what was committed is in the embedded database's file afterwards, as after a
 * {@code CHECKPOINT}: a crash ({@code SHUTDOWN IMMEDIATELY}: nothing more is written) keeps it. Without it, under a long
 * write delay, the same crash loses the rows (the test can tell).
 */
class H2InstanceTest {

    @TempDir
    Path dir;

    @Test
    void whatWasCommittedIsInTheFileAfterAStore() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("kyc") + ";WRITE_DELAY=600000;COMPRESS=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, body VARCHAR)");
            s.execute("CHECKPOINT"); // the table itself is in the file
            s.execute("INSERT INTO t SELECT x, REPEAT('x', 1000) FROM SYSTEM_RANGE(1, 500)");
            assertThat(H2Instance.store(c)).isTrue();
            s.execute("INSERT INTO t SELECT x, 'after' FROM SYSTEM_RANGE(501, 510)"); // not stored: lost by the crash
            s.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedByShutdown) {
            // the connection is gone with the database
        }
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT COUNT(*), MAX(id) FROM t")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(500);
            assertThat(rows.getInt(2)).isEqualTo(500);
        }
    }

    @Test
    void nothingIsDoneOnADatabaseInMemory() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:h2instance", "sa", "")) {
            assertThat(H2Instance.store(c)).isFalse();
        }
    }
}
