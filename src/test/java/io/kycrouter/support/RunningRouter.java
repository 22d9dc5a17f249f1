package io.kycrouter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.KycWebhookRouter;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The whole router, started in-process exactly as the jar starts it (config/application.properties and the vendor
 * folders under vendors/ from the working directory, the router's own routes from the classpath), on a free port and
 * its own H2 file database. Tests talk to it over real HTTP and read the rows it wrote over JDBC.
 */
public final class RunningRouter implements AutoCloseable {

    public static final String SUMSUB_SECRET = "sumsub-test-secret";
    public static final String DIDIT_SECRET = "didit-test-secret";
    public static final String OPERATOR_TOKEN = "operator-test-token";
    public static final String TREEZOR_SECRET = "treezor-test-secret";
    public static final String ARGOS_TOKEN = "argos-test-token";
    public static final String VERATAD_USER = "veratad-user";
    public static final String VERATAD_PASSWORD = "veratad-test-password";
    public static final String VERATAD_SECRET = "veratad-test-secret";
    public static final String ONFIDO_SECRET = "onfido-test-token";
    public static final String VERIFF_SECRET = "veriff-test-secret";
    public static final String PERSONA_SECRET = "wbhsec_persona-test-secret";
    public static final ObjectMapper JSON = new ObjectMapper();

    /** How long a test waits for an asynchronous outcome: generous, as several builds share the machine's cores. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;
    private int managementPort;
    private final String dbUrl;
    private final String dbUser;

    private RunningRouter(Main main, int port, String dbUrl, String dbUser) {
        this.main = main;
        this.port = port;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
    }

    /**
     * Default test settings: every vendor's credential, an operator token, a fast inbox recovery, and a fresh
     * database: an H2 file under {@code dataDir}, or, when the system property {@code kyc.test.postgres} names
     * a PostgreSQL JDBC URL (the PostgreSQL profile, see .ci/run), a new database created on that server.
     */
    public static Map<String, String> defaults(Path dataDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        String postgres = System.getProperty("kyc.test.postgres");
        if (postgres != null && !postgres.isBlank()) {
            p.put("kyc.db.url", PostgresDatabases.create(postgres));
            p.put("kyc.db.user", PostgresDatabases.USER);
        } else {
            p.put("kyc.db.url", "jdbc:h2:file:" + dataDir.resolve("kyc").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        p.put("kyc.vendor.sumsub.auth.digest.secrets", SUMSUB_SECRET);
        p.put("kyc.vendor.didit.auth.v2.secrets", DIDIT_SECRET);
        p.put("kyc.vendor.didit.auth.raw.secrets", DIDIT_SECRET);
        p.put("kyc.vendor.didit.auth.simple.secrets", DIDIT_SECRET);
        p.put("kyc.vendor.treezor.auth.signature.secrets", TREEZOR_SECRET);
        p.put("kyc.vendor.argos.auth.token.tokens", ARGOS_TOKEN);
        p.put("kyc.vendor.veratad.auth.basic.user", VERATAD_USER);
        p.put("kyc.vendor.veratad.auth.basic.passwords", VERATAD_PASSWORD);
        p.put("kyc.vendor.veratad.auth.signature.secrets", VERATAD_SECRET);
        p.put("kyc.vendor.onfido.auth.signature.secrets", ONFIDO_SECRET);
        p.put("kyc.vendor.veriff.auth.signature.secrets", VERIFF_SECRET);
        p.put("kyc.vendor.persona.auth.signature.secrets", PERSONA_SECRET);
        p.put("kyc.api.operator-token", OPERATOR_TOKEN);
        // every test calls from 127.0.0.1, and many send wrong tokens on purpose: OperatorTokenGuessingTest sets its own
        p.put("kyc.api.max-wrong-tokens", "1000");
        p.put("kyc.inbox.recovery-period-ms", "500");
        p.put("kyc.inbox.recovery-grace-ms", "1000");
        return p;
    }

    public static RunningRouter start(Path dataDir) throws Exception {
        return start(defaults(dataDir));
    }

    /** Starts a router that must fail to start; returns the messages of the failure and all its causes. */
    public static String startupFailure(Map<String, String> settings) {
        try {
            start(settings).close();
        } catch (Throwable e) {
            StringBuilder all = new StringBuilder();
            for (Throwable x = e; x != null; x = x.getCause()) {
                all.append(x.getMessage()).append('\n');
            }
            return all.toString();
        }
        throw new AssertionError("start-up should have failed");
    }

    public static RunningRouter start(Map<String, String> settings) throws Exception {
        Main main = KycWebhookRouter.create(settings);
        main.start();
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("router did not start");
        }
        RunningRouter router = new RunningRouter(main, Integer.parseInt(settings.get("camel.server.port")),
                settings.get("kyc.db.url"), settings.getOrDefault("kyc.db.user", "sa"));
        router.managementPort = Integer.parseInt(settings.getOrDefault("camel.management.port", "9876"));
        return router;
    }

    public int port() {
        return port;
    }

    public Main main() {
        return main;
    }

    /** GET on the management port (health, metrics). */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> request(String method, String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path, OPERATOR_TOKEN);
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    public Connection db() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, "");
    }

    /**
     * Whether the target has been sent every event of the log: its cursor is at the log's last event and it has no
     * delivery pending (a delivered event leaves no row; a retried one is marked delivered on its row).
     */
    public boolean caughtUp(String target) throws SQLException {
        return count("select count(*) from notify_cursor where target = ?"
                + " and position >= (select coalesce(max(seq), 0) from canonical_event)", target) == 1
                && count("select count(*) from outbox where target = ? and state = 'pending'", target) == 0;
    }

    public long count(String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, params);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    public List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /** The canonical event written for an inbox row, waiting for the asynchronous mapping; a failing query fails. */
    public JsonNode canonicalEventOf(long inboxId) throws Exception {
        await("canonical event for inbox row " + inboxId).atMost(WAIT)
                .until(() -> count("select count(*) from canonical_event where inbox_id = ?", inboxId) == 1);
        return JSON.readTree((String) rows("select payload from canonical_event where inbox_id = ?", inboxId).get(0).get("payload"));
    }

    /**
     * A vendor's example, a payload exactly as the vendor sends it: {@code "sumsub/applicantCreated.json"} is
     * vendors/sumsub/examples/applicantCreated.json (the project root is the tests' working directory).
     */
    public static byte[] example(String vendorAndName) throws IOException {
        int slash = vendorAndName.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("an example is named <vendor>/<file>, not " + vendorAndName);
        }
        return Files.readAllBytes(Path.of("vendors", vendorAndName.substring(0, slash), "examples", vendorAndName.substring(slash + 1)));
    }

    /**
     * Test data that is not a vendor's example (attack cases, signature bases, a documentation's invalid JSON):
     * src/test/resources/fixtures/{@code path}.
     */
    public static byte[] fixture(String path) throws IOException {
        try (var in = RunningRouter.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IOException("no test fixture " + path + " (a vendor's example is read with example(), from vendors/<vendor>/examples/)");
            }
            return in.readAllBytes();
        }
    }

    /** A copy of the project's vendors/ folder in a new temporary folder, for a test to change (kyc.vendors.dir). */
    public static Path vendorsCopy(String name) throws IOException {
        Path copy = tempDir(name);
        Path vendors = Path.of("vendors");
        try (var files = Files.walk(vendors)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(vendors.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    public static Path tempDir(String name) throws IOException {
        return Files.createTempDirectory("kyc-" + name);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
