package io.kycrouter.store;

import com.zaxxer.hikari.HikariDataSource;
import io.kycrouter.vendors.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 keeps every string it is given in a shared cache of soft references unless its system property says not to, and
 * it reads that property once per JVM. Each case runs in a JVM of its own (this test's JVM may have used H2 before),
 * which opens the router's database the way the router does and stores bodies through it.
 */
class H2ObjectCacheTest {

    @TempDir
    Path dir;

    @Test
    void theRoutersDatabaseSwitchesH2sObjectCacheOffBeforeH2ReadsIt() throws Exception {
        assertThat(probe()).contains("object cache on: false").doesNotContain("object cache is on");
    }

    @Test
    void anOperatorWhoSwitchesItOnExplicitlyIsWarnedWhatItCosts() throws Exception {
        assertThat(probe("-Dh2.objectCache=true")).contains("object cache on: true")
                .contains("H2's object cache is on").contains("1,024 recent bodies");
    }

    private String probe(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), dir.resolve("kyc").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** Opens an H2 file database through {@link Database}, stores a few bodies, and says whether the cache is on. */
    public static final class Probe {

        public static void main(String[] args) throws Exception {
            Settings settings = new Settings("kyc.db.", key -> Optional.ofNullable(
                    key.equals("kyc.db.url") ? "jdbc:h2:file:" + args[0] : key.equals("kyc.db.user") ? "sa" : null));
            try (HikariDataSource db = Database.open(settings);
                 Connection c = db.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("create table body (id int primary key, text varchar)");
                }
                try (PreparedStatement insert = c.prepareStatement("insert into body values (?, ?)")) {
                    for (int i = 0; i < 10; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, ("{\"n\":" + i + "}").repeat(1_000));
                        insert.executeUpdate();
                    }
                }
            }
            System.out.println("object cache on: " + Database.h2ObjectCacheOn());
        }
    }
}
