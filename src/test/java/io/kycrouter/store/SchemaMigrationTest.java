package io.kycrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kycrouter.vendors.ConfigException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema is migrated on a thread of its own; what needs it runs once it is there, once; a failure is the start's. */
class SchemaMigrationTest {

    @Test
    void whatNeedsTheSchemaRunsOnceTheSchemaIsThereAndOnlyOnce() throws Exception {
        try (HikariDataSource db = open("jdbc:h2:mem:migrated;DB_CLOSE_DELAY=-1")) {
            List<Integer> cursorRows = new ArrayList<>();
            SchemaMigration schema = SchemaMigration.start(db).then(() -> cursorRows.add(count(db, "notify_cursor")));
            schema.awaitSchema();
            schema.awaitSchema();
            assertThat(cursorRows).containsExactly(0); // the table was there when it ran, and it ran once
        }
    }

    @Test
    void aFailedMigrationIsRethrownAndWhatWaitedForItDoesNotRun() throws Exception {
        try (HikariDataSource db = open("jdbc:h2:mem:foreign;DB_CLOSE_DELAY=-1")) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table inbox (id int primary key)"); // a schema of someone else's, no history
            }
            List<String> ran = new ArrayList<>();
            SchemaMigration schema = SchemaMigration.start(db).then(() -> ran.add("cursors"));
            assertThatThrownBy(schema::awaitSchema).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("database migration failed");
            assertThat(ran).isEmpty();
        }
    }

    private static int count(HikariDataSource db, String table) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static HikariDataSource open(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        return new HikariDataSource(config);
    }
}
