package io.kycrouter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.PostgresDatabases;
import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.ServerDatabase;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TcpProxy;
import org.apache.camel.test.AvailablePortFinder;
import org.h2.tools.Server;
import io.kycrouter.support.TestReceiver;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the fault tests share: a router process on the embedded default (an H2 file, opened by nobody else) or,
 * in the PostgreSQL profile, on a fresh PostgreSQL database; an HTTP notifier target; senders that post signed
 * Didit webhooks and record every one acknowledged with a 2xx; and the figures the tests print and assert.
 */
final class FaultRig implements AutoCloseable {

    /** How long the load runs before the fault, in ms (faults/run.sh raises it). */
    static final long LOAD_MS = Long.getLong("kyc.faults.load-ms", 2500);

    final Path dir;
    final String dbUrl;
    final String dbUser;
    TestReceiver receiver;
    final Path config;
    final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final AtomicLong refused = new AtomicLong();
    private final ExecutorService senders = Executors.newFixedThreadPool(8);
    private final List<Future<?>> loops = new ArrayList<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    /** the database behind a TCP proxy the test can cut, or null when the router opens it directly */
    final TcpProxy network;
    /** what the router connects to: the database itself, or the proxy */
    final String routerDbUrl;
    private final Server h2Server;
    final Queue<String> refusedDeliveries = new ConcurrentLinkedQueue<>();

    FaultRig(String name, TestReceiver receiver, String extraConfig) throws Exception {
        this(name, receiver, extraConfig, false);
    }

    /** A rig whose notifier target listens on {@code receiverPort} once {@link #receiver} is set (down until then). */
    FaultRig(String name, int receiverPort, String extraConfig) throws Exception {
        this(name, null, "kyc.notify.target.crm.url = http://127.0.0.1:" + receiverPort + "/hook\n" + extraConfig, false);
    }

    /** @param cuttable put the database behind a {@link TcpProxy} (an H2 server, or PostgreSQL) so it can be cut */
    FaultRig(String name, TestReceiver receiver, String extraConfig, boolean cuttable) throws Exception {
        this(name, receiver, extraConfig, cuttable, null);
    }

    /** A rig on an embedded H2 file under {@code h2Dir} (a small file system the test fills up). */
    FaultRig(String name, TestReceiver receiver, Path h2Dir) throws Exception {
        this(name, receiver, "", false, h2Dir);
    }

    private FaultRig(String name, TestReceiver receiver, String extraConfig, boolean cuttable, Path h2Dir) throws Exception {
        this.dir = RunningRouter.tempDir(name);
        String postgres = h2Dir != null ? null : System.getProperty("kyc.test.postgres");
        int dbPort;
        if (postgres != null && !postgres.isBlank()) {
            dbUrl = PostgresDatabases.create(postgres);
            dbUser = PostgresDatabases.USER;
            h2Server = null;
            dbPort = java.net.URI.create(dbUrl.substring("jdbc:".length())).getPort();
        } else if (cuttable) {
            h2Server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
            dbUrl = "jdbc:h2:tcp://127.0.0.1:" + h2Server.getPort() + "/kyc";
            dbUser = "sa";
            dbPort = h2Server.getPort();
        } else {
            dbUrl = "jdbc:h2:file:" + (h2Dir != null ? h2Dir : dir).resolve("kyc");
            dbUser = "sa";
            h2Server = null;
            dbPort = -1;
        }
        if (cuttable) {
            int proxyPort = AvailablePortFinder.getNextAvailable();
            network = new TcpProxy(proxyPort, dbPort);
            routerDbUrl = dbUrl.replace("127.0.0.1:" + dbPort, "127.0.0.1:" + proxyPort);
        } else {
            network = null;
            routerDbUrl = dbUrl;
        }
        this.receiver = receiver;
        this.config = dir.resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"))
                + "\nkyc.notify.targets = crm\n"
                + "kyc.notify.target.crm.type = http\n"
                + (receiver == null ? "" : "kyc.notify.target.crm.url = " + receiver.url() + "\n")
                + "kyc.notify.target.crm.secret = faults-notify-secret-of-24-bytes\n"
                + "kyc.notify.target.crm.connect-timeout-ms = 500\n"
                + "kyc.notify.target.crm.read-timeout-ms = 2000\n"
                + "kyc.notify.target.crm.backoff.initial-ms = 100\n"
                + "kyc.notify.target.crm.backoff.max-ms = 1000\n"
                + "kyc.notify.target.crm.max-attempts = 1000\n"
                + "kyc.notify.poll-period-ms = 100\n"
                + "kyc.notify.claim-lease-ms = 5000\n"
                + "kyc.inbox.recovery-period-ms = 500\n"
                + extraConfig);
    }

    RouterProcess start(String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KYC_CONFIG", config.toString());
        env.put("KYC_DB_URL", routerDbUrl);
        env.put("KYC_DB_CONNECTION_TIMEOUT_MS", "1000");
        env.put("KYC_DB_USER", dbUser);
        env.put("KYC_DIDIT_SECRET", RunningRouter.DIDIT_SECRET);
        env.put("KYC_INBOX_RECOVERY_GRACE_MS", "1000");
        env.put("KYC_OPERATOR_TOKEN", RunningRouter.OPERATOR_TOKEN);
        return RouterProcess.start(name, env, dir);
    }

    /**
     * Starts 8 senders against {@code router}: each posts a new Didit session's "In Progress" and then its
     * "Approved" (two events of one verification, in order), and records every 2xx under its event key.
     */
    void startLoad(java.util.function.Supplier<RouterProcess> router) {
        sending.set(true);
        for (int t = 0; t < 8; t++) {
            int thread = t;
            loops.add(senders.submit(() -> {
                for (int i = 0; sending.get(); i++) {
                    String session = "fault-" + thread + "-" + i;
                    // like a vendor, the later event of a verification follows once the earlier one was accepted
                    if (send(router.get(), session, "In Progress", 1_727_681_000L)) {
                        send(router.get(), session, "Approved", 1_727_681_100L);
                    }
                }
                return null;
            }));
        }
    }

    private boolean send(RouterProcess router, String session, String status, long createdAt) {
        byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"" + status + "\",\"created_at\":" + createdAt
                + ",\"vendor_data\":\"user-" + session + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = router.post("/webhooks/didit", body, Signer.diditRaw(body));
            answers.merge(r.statusCode(), 1L, Long::sum);
            if (r.statusCode() == 200) {
                acknowledged.add(session + "|" + status);
                return true;
            }
            refused.incrementAndGet();
        } catch (Exception e) {
            refused.incrementAndGet(); // not acknowledged: the vendor would retry
        }
        refusedDeliveries.add(session + "|" + status + "|" + createdAt);
        return false;
    }

    /** HTTP status of each answer the senders got, counted. */
    final Map<Integer, Long> answers = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a vendor does: sends every refused delivery again, until accepted (or {@code seconds} pass). */
    void retryRefused(RouterProcess router, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        String next;
        while ((next = refusedDeliveries.poll()) != null && System.currentTimeMillis() < deadline) {
            String[] parts = next.split("\\|");
            if (!send(router, parts[0], parts[1], Long.parseLong(parts[2]))) {
                Thread.sleep(100); // a vendor's pause before it retries, not a wait for a condition
            }
        }
    }

    void stopLoad() throws Exception {
        sending.set(false);
        for (Future<?> loop : loops) {
            loop.get();
        }
        loops.clear();
    }

    /**
     * Keeps the load on for a window counted in deliveries, not in time: {@code kyc.faults.load-ms} asks for a tenth of
     * a delivery per millisecond beyond those acknowledged so far (at least 50), so a busy machine takes longer but
     * never sees less load.
     */
    void loadForAWhile() {
        awaitAcknowledged(acknowledged.size() + Math.max(50, LOAD_MS / 10));
    }

    /** Waits until at least {@code more} deliveries beyond {@code since} were refused (a fault under load shows). */
    void awaitRefused(long since, long more) {
        await(more + " deliveries refused").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> refused.get() - since >= more);
    }

    void awaitAcknowledged(long atLeast) {
        await(atLeast + " deliveries acknowledged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> acknowledged.size() >= atLeast);
    }

    /**
     * Waits (up to {@code seconds}) until every acknowledged delivery reached the receiver with a 2xx and the
     * outbox has nothing pending: the recovery mapped what the crash left unmapped, the dispatcher sent it.
     */
    void awaitSettled(RouterProcess router, int seconds) {
        await("every acknowledged delivery delivered, nothing pending").atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> undelivered() == 0 && nothingPending(router));
    }

    private static boolean nothingPending(RouterProcess router) throws Exception {
        HttpResponse<String> pending = router.get("/api/deliveries?state=pending&limit=1", RunningRouter.OPERATOR_TOKEN);
        return pending.statusCode() == 200 && RunningRouter.JSON.readTree(pending.body()).path("deliveries").isEmpty();
    }

    private long undelivered() throws Exception {
        java.util.Set<String> got = new java.util.HashSet<>();
        for (TestReceiver.Request r : receiver.requests()) {
            if (r.answered() >= 200 && r.answered() <= 299) {
                JsonNode event = RunningRouter.JSON.readTree(r.body());
                got.add(event.get("verificationId").asText() + "|" + event.get("vendorEventType").asText());
            }
        }
        return acknowledged.stream().filter(a -> !got.contains(a)).count();
    }

    /** The figures of one fault run, read from the database (the router must be stopped first on H2). */
    Figures figures() throws Exception {
        Figures f = new Figures();
        f.acknowledged = acknowledged.size();
        f.refused = refused.get();
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, "")) {
            f.stored = count(c, "select count(*) from inbox where vendor = 'didit'");
            f.mapped = count(c, "select count(*) from canonical_event where vendor = 'didit'");
            f.unmapped = count(c, "select count(*) from inbox where processed_at is null");
            for (String ack : acknowledged) {
                String[] parts = ack.split("\\|");
                if (count(c, "select count(*) from inbox where vendor = 'didit' and event_key like ?", parts[0] + ":" + parts[1] + ":%") != 1) {
                    f.lost++;
                }
            }
        }
        // deliveries the receiver answered 2xx, by canonical event; in order per verification
        Map<String, Integer> answered = new HashMap<>();
        Map<String, List<String>> statusesBySession = new LinkedHashMap<>();
        for (TestReceiver.Request r : receiver.requests()) {
            if (r.answered() < 200 || r.answered() > 299) {
                continue;
            }
            JsonNode event = RunningRouter.JSON.readTree(r.body());
            if (answered.merge(event.get("eventId").asText(), 1, Integer::sum) == 1) {
                statusesBySession.computeIfAbsent(event.get("verificationId").asText(), k -> new ArrayList<>())
                        .add(event.get("vendorEventType").asText());
            }
        }
        f.delivered = answered.size();
        f.duplicated = answered.values().stream().mapToInt(n -> n - 1).sum();
        for (String ack : acknowledged) {
            String[] parts = ack.split("\\|");
            List<String> got = statusesBySession.getOrDefault(parts[0], List.of());
            if (!got.contains(parts[1])) {
                f.undelivered++;
            }
        }
        for (List<String> order : statusesBySession.values()) {
            if (order.indexOf("Approved") >= 0 && order.indexOf("In Progress") > order.indexOf("Approved")) {
                f.outOfOrder++;
            }
        }
        return f;
    }

    private static long count(Connection c, String sql, Object... params) throws SQLException {
        return ServerDatabase.count(c, sql, params);
    }

    @Override
    public void close() throws Exception {
        sending.set(false);
        senders.shutdownNow();
        if (network != null) {
            network.close();
        }
        if (h2Server != null) {
            h2Server.stop();
        }
    }

    /** What a fault run counted; printed as one line so faults/run.sh can collect it. */
    static final class Figures {
        long acknowledged;
        long refused;
        long stored;
        long lost;
        long mapped;
        long unmapped;
        long delivered;
        long undelivered;
        long duplicated;
        long outOfOrder;

        /** After a fault the router recovers from in place: nothing lost, each delivery stored once, mapped, delivered in order. */
        void assertStoredOnceMappedDeliveredInOrder() {
            assertThat(lost).as("acknowledged but not stored").isZero();
            assertThat(stored).as("stored once each: every acknowledged delivery and nothing else")
                    .isEqualTo(acknowledged);
            assertThat(unmapped).isZero();
            assertThat(undelivered).isZero();
            assertThat(outOfOrder).isZero();
        }

        String line(String fault) {
            return "FAULT " + fault + ": acknowledged=" + acknowledged + " refused=" + refused + " stored=" + stored
                    + " lost=" + lost + " mapped=" + mapped + " unmapped=" + unmapped + " delivered=" + delivered
                    + " undelivered=" + undelivered + " duplicated=" + duplicated + " out-of-order=" + outOfOrder;
        }
    }
}
