package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router that cannot start says why in a few lines, without a stack trace, and exits non-zero: the router as a
 * process, started as the jar starts it.
 */
class StartupFailureOutputTest {

    private record Exit(int code, List<String> lines) {
    }

    private static Exit run(Map<String, String> env, String name) throws Exception {
        Path dir = RunningRouter.tempDir(name);
        Path log = dir.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // the production logback.xml, not the test classpath's logback-test.xml (which logback would prefer)
                "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(), "-cp", System.getProperty("java.class.path"), "io.kycrouter.KycWebhookRouter")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KYC_DB_URL", "jdbc:h2:mem:" + name);
        pb.environment().put("KYC_HTTP_HOST", "127.0.0.1");
        pb.environment().put("KYC_HTTP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        pb.environment().put("KYC_MANAGEMENT_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the router neither started nor stopped: " + Files.readString(log));
        }
        return new Exit(process.exitValue(), Files.readAllLines(log));
    }

    private static void assertShort(Exit exit, String message) {
        assertThat(exit.code()).as(String.join("\n", exit.lines())).isEqualTo(1);
        assertThat(exit.lines()).as("no stack trace").noneMatch(l -> l.matches("\\s+at .*") || l.startsWith("Caused by"));
        assertThat(exit.lines()).anyMatch(l -> l.startsWith("kyc-webhook-router did not start: ") && l.contains(message));
    }

    @Test
    void aMappingMistakeIsOneLineNamingTheFile() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("broken-mapping");
        Path routes = vendors.resolve("argos").resolve("routes.yaml");
        Files.writeString(routes, Files.readString(routes).replace("name: vendorEventType", "name: vendorEventTyp"));
        int line = Files.readAllLines(routes).indexOf(Files.readAllLines(routes).stream()
                .filter(l -> l.contains("name: vendorEventTyp")).findFirst().orElseThrow()) + 1;
        assertShort(run(Map.of("KYC_VENDORS_DIR", vendors.toString()), "broken-mapping"),
                "argos/routes.yaml:" + line + ": vendor-argos setVariable vendorEventTyp: unknown variable 'vendorEventTyp'");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertShort(run(Map.of("KYC_HTTP_PORT", String.valueOf(taken.getLocalPort())), "port-in-use"),
                    "could not listen on port " + taken.getLocalPort());
        }
    }

    @Test
    void aFailedSchemaMigrationIsOneLine() throws Exception {
        // a database that holds tables of its own and no migration history: Flyway refuses to migrate it (while Camel
        // loads the route files), and the context's start says so
        Path dir = RunningRouter.tempDir("foreign-schema");
        String url = "jdbc:h2:file:" + dir.resolve("kyc");
        io.kycrouter.store.Database.switchOffH2ObjectCache(); // as the routers this JVM starts after this test expect
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("create table inbox (id int primary key)");
        }
        assertShort(run(Map.of("KYC_DB_URL", url), "foreign-schema"), "database migration failed");
    }
}
