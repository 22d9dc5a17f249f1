package io.kycrouter;

import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.ServerDatabase;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two router processes sharing one database (PostgreSQL in the PostgreSQL profile, otherwise an H2 server):
 * the same webhook delivered to both at once is stored once, each notification is attempted by one instance
 * at a time, and a killed instance's claimed deliveries are taken over once their lease ends.
 */
class TwoInstancesTest {

    Path dir;
    ServerDatabase db;
    TestReceiver receiver;
    RouterProcess a;
    RouterProcess b;

    /** A claim lease short enough for a test to outlive it (production keeps its claims a minute). */
    static final String SHORT_LEASE = "kyc.notify.claim-lease-ms = 3000\n";

    @BeforeEach
    void start() throws Exception {
        dir = RunningRouter.tempDir("two");
        db = ServerDatabase.start(dir);
        receiver = TestReceiver.start();
    }

    /** Starts both instances on the shipped configuration, one webhook target, and {@code extra} settings. */
    void startInstances(String extra) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"))
                + "\nkyc.notify.targets = crm\n"
                + "kyc.notify.target.crm.type = http\n"
                + "kyc.notify.target.crm.url = " + receiver.url() + "\n"
                + "kyc.notify.target.crm.secret = two-instances-notify-secret-24b\n"
                + "kyc.notify.target.crm.read-timeout-ms = 60000\n"
                + "kyc.notify.poll-period-ms = 50\n"
                + extra);
        Map<String, String> env = new HashMap<>();
        env.put("KYC_CONFIG", config.toString());
        env.put("KYC_DB_URL", db.url());
        env.put("KYC_DB_USER", db.user());
        env.put("KYC_SUMSUB_SECRET", RunningRouter.SUMSUB_SECRET);
        env.put("KYC_DIDIT_SECRET", RunningRouter.DIDIT_SECRET);
        env.put("KYC_OPERATOR_TOKEN", RunningRouter.OPERATOR_TOKEN);
        a = RouterProcess.start("a", env, dir);
        b = RouterProcess.start("b", env, dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, receiver, db}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static int occurrences(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }

    long count(String sql, Object... params) throws Exception {
        return db.count(sql, params);
    }

    static byte[] didit(String session, String status, long at) {
        return ("{\"session_id\":\"" + session + "\",\"status\":\"" + status + "\",\"created_at\":" + at
                + ",\"vendor_data\":\"u\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sameWebhookToBothInstancesAtOnceIsStoredOnceAndEachEventNotifiedOnce() throws Exception {
        startInstances(""); // the production claim lease
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            int events = 12;
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                byte[] body = didit("two-" + e, "Approved", 1_727_681_886L);
                for (int copy = 0; copy < 6; copy++) {
                    RouterProcess instance = copy % 2 == 0 ? a : b;
                    answers.add(pool.submit(() -> instance.post("/webhooks/didit", body, Signer.diditRaw(body))));
                }
            }
            int fresh = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                fresh += RunningRouter.JSON.readTree(r.body()).get("duplicate").asBoolean() ? 0 : 1;
            }
            assertThat(fresh).isEqualTo(events);
            assertThat(count("select count(*) from inbox where event_key like 'two-%'")).isEqualTo(events);
            await("all notifications delivered").atMost(RunningRouter.WAIT)
                    .until(() -> receiver.successes() == events && deliveredLines() == events);
            await("the cursor past every event").atMost(RunningRouter.WAIT)
                    .until(() -> count("select count(*) from notify_cursor where target = 'crm'"
                            + " and position >= (select max(seq) from canonical_event)") == 1);
            assertThat(count("select count(*) from outbox")).as("a delivered event leaves no row").isZero();
            assertThat(count("select count(*) from canonical_event")).isEqualTo(events);
            Map<String, Long> perEvent = new HashMap<>();
            for (TestReceiver.Request r : receiver.requests()) {
                perEvent.merge(r.header("webhook-id"), 1L, Long::sum);
            }
            assertThat(perEvent).hasSize(events);
            assertThat(perEvent.values()).allMatch(n -> n == 1);
            // the two instances' logs together show each event sent once: one instance at a time reads the target's log
            assertThat(deliveredLines()).isEqualTo(events);
        } finally {
            pool.shutdownNow();
        }
    }

    long deliveredLines() throws Exception {
        return occurrences(a.log(), "outcome=delivered") + occurrences(b.log(), "outcome=delivered");
    }

    @Test
    void aKilledInstancesCursorIsTakenOverAfterItsLease() throws Exception {
        startInstances(SHORT_LEASE); // the survivor waits out the lease: the production minute would outlast the test's waits
        receiver.block();
        byte[] body = didit("kill-1", "Declined", 1_727_681_999L);
        assertThat(a.post("/webhooks/didit", body, Signer.diditRaw(body)).statusCode()).isEqualTo(200);
        await("a delivery in flight").atMost(RunningRouter.WAIT).until(() -> !receiver.pendingRequests().isEmpty());
        await("the target's cursor held").atMost(RunningRouter.WAIT).until(this::hasClaim);
        String holder = claimHolder();
        RouterProcess victim = holder.equals(a.outboxInstance()) ? a : b;
        RouterProcess survivor = victim == a ? b : a;
        victim.kill();
        receiver.release(); // the dead instance's request is answered into a closed connection
        // the victim never moved the cursor past the event: the survivor sends it again once the lease has lapsed
        await("the survivor delivers once the lease has lapsed").atMost(RunningRouter.WAIT)
                .until(() -> survivor.log().contains("outcome=delivered"));
        await("the survivor holds the cursor, past the event").atMost(RunningRouter.WAIT)
                .until(() -> survivor.outboxInstance().equals(claimHolder())
                        && count("select count(*) from notify_cursor where position >= (select max(seq) from canonical_event)") == 1);
        if (victim == a) {
            a = null;
        } else {
            b = null;
        }
    }

    @Test
    void aSendThatOutlivesTheLeaseKeepsItsCursorAndIsNotSentByTheOtherInstance() throws Exception {
        startInstances(SHORT_LEASE);
        Duration lease = Duration.ofMillis(3000);
        receiver.block(); // the receiver holds the request far longer than the lease
        byte[] body = didit("slow-1", "Approved", 1_727_682_001L);
        assertThat(a.post("/webhooks/didit", body, Signer.diditRaw(body)).statusCode()).isEqualTo(200);
        await("the first attempt in flight").atMost(RunningRouter.WAIT).until(() -> inFlight() == 1);
        String holder = claimHolder();
        Instant firstUntil = claimedUntil();
        // the cursor is still held, renewed, a second after the lease it was taken with ran out (the other instance
        // polls every 50 ms); or, without the renewal, the other instance sent the event a second time
        await("the cursor's lease renewed past its first lease, or a second attempt").atMost(RunningRouter.WAIT)
                .until(() -> inFlight() > 1 || renewedPast(firstUntil.plus(lease).plusSeconds(1)));
        assertThat(inFlight()).as("attempts in flight at the receiver").isEqualTo(1);
        assertThat(claimHolder()).isEqualTo(holder);
        receiver.release();
        await("the slow attempt delivered and the cursor moved past it").atMost(RunningRouter.WAIT)
                .until(() -> deliveredLines() == 1
                        && count("select count(*) from notify_cursor where position >= (select max(seq) from canonical_event)") == 1);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(deliveredLines()).isEqualTo(1);
    }

    int inFlight() {
        List<Integer> held = receiver.pendingRequests();
        return held.isEmpty() ? 0 : held.get(0);
    }

    boolean renewedPast(Instant until) throws Exception {
        Instant now = claimedUntil();
        return now != null && now.isAfter(until);
    }

    Instant claimedUntil() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select lease_until from notify_cursor where owner is not null");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
        }
    }

    /** Whether an instance holds the target's cursor in the event log. */
    boolean hasClaim() throws Exception {
        return count("select count(*) from notify_cursor where owner is not null") == 1;
    }

    String claimHolder() throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select owner from notify_cursor where owner is not null");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void bothInstancesMappingTheSameDeliveriesAgainAtOnceWriteEachNewEventOnce() throws Exception {
        startInstances("");
        int deliveries = 6;
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("insert into inbox"
                + " (vendor, event_key, received_at, body, attempts, last_error) values ('didit', ?, ?, ?, 1000000, 'broken mapping')",
                new String[] {"id"})) {
            for (int i = 0; i < deliveries; i++) { // stored parked, as a broken route left them
                s.setString(1, "two-remap-" + i);
                s.setObject(2, OffsetDateTime.now().minusMinutes(5));
                s.setString(3, new String(didit("two-remap-" + i, "Approved", 1_727_681_886L), StandardCharsets.UTF_8));
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    ids.add(keys.getLong(1));
                }
            }
        }
        Map<String, String> operator = Map.of("Authorization", "Bearer " + RunningRouter.OPERATOR_TOKEN);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (long id : ids) {
                for (RouterProcess instance : List.of(a, b)) {
                    answers.add(pool.submit(() -> instance.post("/api/inbox/" + id + "/remap", new byte[0], operator)));
                }
            }
            int remapped = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                remapped += RunningRouter.JSON.readTree(r.body()).get("remapped").asInt();
            }
            assertThat(remapped).as("one of the two instances wrote each delivery's event, the other found it").isEqualTo(deliveries);
        } finally {
            pool.shutdownNow();
        }
        for (long id : ids) {
            assertThat(count("select count(*) from canonical_event where inbox_id = ?", id)).isEqualTo(1);
        }
        assertThat(count("select count(*) from verification_state where verification_id like 'two-remap-%' and status = 'APPROVED'"))
                .isEqualTo(deliveries);
        await("each new event notified").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == deliveries);
        await("nothing sent twice").during(Duration.ofSeconds(1)).atMost(RunningRouter.WAIT)
                .until(() -> receiver.requests().size() == deliveries);
        assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).distinct()).hasSize(deliveries);
        assertThat(count("select count(*) from outbox")).isZero();
    }
}
