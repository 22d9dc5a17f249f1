package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.store.Inbox;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.CuttableDatabase;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nothing accepted is lost: across a restart, a crash between accept and mapping, and a database outage. */
class DurabilityTest {

    @Test
    void aRestartKeepsEverything() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("restart"));
        byte[] body = example("sumsub/applicantReviewed-2.json");
        long inboxId;
        try (RunningRouter first = RunningRouter.start(settings)) {
            HttpResponse<String> response = first.post("/webhooks/sumsub", body, Signer.sumsub(body));
            inboxId = json(response).get("id").asLong();
            first.canonicalEventOf(inboxId);
        }
        try (RunningRouter second = RunningRouter.start(settings)) {
            HttpResponse<String> state = second.get("/api/verifications/sumsub/5cb56e8e0a975a35f333cb83");
            assertThat(state.statusCode()).isEqualTo(200);
            assertThat(json(state).get("status").asText()).isEqualTo("APPROVED");
            // the vendor's retry after the restart is still recognised
            HttpResponse<String> retry = second.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
            assertThat(json(retry).get("id").asLong()).isEqualTo(inboxId);
            assertThat(second.count("select count(*) from canonical_event")).isEqualTo(1);
        }
    }

    @Test
    void retriesMixedIntoABurstOfNewDeliveriesAreRecognisedAndNothingIsWrittenTwice() throws Exception {
        try (RunningRouter router = RunningRouter.start(RunningRouter.tempDir("burst"))) {
            Map<String, Long> original = new java.util.HashMap<>();
            for (int i = 0; i < 20; i++) {
                byte[] body = didit("retry-" + i);
                original.put("retry-" + i, json(router.post("/webhooks/didit", body, Signer.diditRaw(body))).get("id").asLong());
            }
            // one burst, so that group commits mix retries of stored deliveries, new deliveries, and a new delivery
            // sent twice at once
            java.util.List<String> sessions = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sessions.add("new-" + i);
                sessions.add("new-" + i);
                sessions.add("retry-" + (i % 20));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
            try {
                java.util.List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
                for (String session : sessions) {
                    byte[] body = didit(session);
                    answers.add(pool.submit(() -> router.post("/webhooks/didit", body, Signer.diditRaw(body))));
                }
                Map<String, Long> idOf = new java.util.HashMap<>();
                int fresh = 0;
                for (int i = 0; i < sessions.size(); i++) {
                    HttpResponse<String> answer = answers.get(i).get();
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    long id = json(answer).get("id").asLong();
                    String session = sessions.get(i);
                    if (session.startsWith("retry-")) {
                        assertThat(json(answer).get("duplicate").asBoolean()).isTrue();
                        assertThat(id).isEqualTo(original.get(session));
                    } else {
                        fresh += json(answer).get("duplicate").asBoolean() ? 0 : 1;
                        assertThat(idOf.computeIfAbsent(session, k -> id)).as("both copies of " + session).isEqualTo(id);
                    }
                }
                assertThat(fresh).isEqualTo(40);
            } finally {
                pool.shutdownNow();
            }
            assertThat(router.count("select count(*) from inbox")).isEqualTo(60);
            assertThat(router.count("select count(*) from canonical_event")).isEqualTo(60);
            assertThat(router.count("select count(*) from inbox where processed_at is null")).isZero();
        }
    }

    static byte[] didit(String session) {
        return ("{\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"created_at\":1727681886,\"vendor_data\":\"u\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeliveryAcceptedButNeverMappedIsMappedAfterRestart() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("recovery"));
        byte[] body = example("didit/approved.json");
        try (RunningRouter first = RunningRouter.start(settings)) {
            // simulate a crash right after the inbox commit: the row exists, its canonical event does not
            try (Connection c = first.db(); PreparedStatement s = c.prepareStatement(
                    "insert into inbox (vendor, event_key, received_at, body) values ('didit', 'crash-1', ?, ?)")) {
                s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5));
                s.setString(2, new String(body, StandardCharsets.UTF_8));
                s.executeUpdate();
            }
        }
        try (RunningRouter second = RunningRouter.start(settings)) {
            long inboxId = second.count("select id from inbox where event_key = 'crash-1'");
            assertThat(second.canonicalEventOf(inboxId).get("status").asText()).isEqualTo("APPROVED");
            assertThat(second.count("select count(*) from inbox where id = ? and processed_at is not null", inboxId)).isEqualTo(1);
        }
    }

    /**
     * A Treezor delivery wrapped in its envelope (the event under {@code $.webhook}) is accepted while its event cannot
     * be written (a constraint refuses Treezor's events, as a failing database would): it is left to the inbox
     * recovery, which must read it as the ingress did, from inside the envelope, and map it to the same event.
     */
    @Test
    void aWrappedDeliveryLeftForTheRecoveryIsMappedFromInsideItsEnvelope() throws Exception {
        try (RunningRouter router = RunningRouter.start(RunningRouter.tempDir("recovery-envelope"))) {
            execute(router, "alter table canonical_event add constraint refuse_treezor_events check (vendor <> 'treezor')");
            byte[] body = example("treezor/user.kycreview.json");
            assertThat(RunningRouter.JSON.readTree(body).get("webhook").get("webhook").asText()).isEqualTo("user.kycreview");
            HttpResponse<String> answer = router.post("/webhooks/treezor", body, Map.of("Content-Type", "text/plain"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            long inboxId = json(answer).get("id").asLong();
            // accepted without its event, and due for the recovery: a failure to retry, not a parked row
            assertThat(router.count("select count(*) from inbox where id = ? and processed_at is null"
                    + " and last_error is not null and attempts < ?", inboxId, Inbox.PARKED)).isEqualTo(1);
            assertThat(router.count("select count(*) from canonical_event")).isZero();

            execute(router, "alter table canonical_event drop constraint refuse_treezor_events");
            await("the recovery took the row up").atMost(RunningRouter.WAIT).until(() -> router.count(
                    "select count(*) from inbox where id = ? and (processed_at is not null or attempts >= ?)",
                    inboxId, Inbox.PARKED) == 1);
            assertThat(router.rows("select last_error from inbox where id = ?", inboxId).get(0).get("last_error"))
                    .as("the recovery's mapping error").isNull();
            JsonNode event = router.canonicalEventOf(inboxId);
            assertThat(event.get("vendorEventType").asText()).isEqualTo("user.kycreview");
            assertThat(event.get("verificationId").asText()).isEqualTo("6461762");
            assertThat(event.get("type").asText()).isEqualTo("VERIFICATION_COMPLETED");
            assertThat(event.get("status").asText()).isEqualTo("APPROVED");
            assertThat(event.get("occurredAt").asText()).isEqualTo("2022-05-18T12:21:12Z");
            assertThat(json(router.get("/api/verifications/treezor/6461762")).get("status").asText()).isEqualTo("APPROVED");
        }
    }

    static void execute(RunningRouter router, String sql) throws Exception {
        try (Connection c = router.db(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void databaseOutageAnswers503AndTheVendorsRetryIsAcceptedAfterwards() throws Exception {
        Path dir = RunningRouter.tempDir("outage");
        byte[] body = example("sumsub/applicantPending.json");
        try (CuttableDatabase network = CuttableDatabase.start(dir);
             RunningRouter router = RunningRouter.start(network.configure(RunningRouter.defaults(dir)))) {
            network.cut();
            HttpResponse<String> down = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(json(down).get("error").asText()).isEqualTo("store_unavailable");
            assertThat(down.headers().firstValue("Retry-After")).isPresent();

            network.mend();
            // the vendor's retries, until the pool has replaced its broken connections
            HttpResponse<String> retry = await("a retry accepted once the database is back").atMost(RunningRouter.WAIT)
                    .pollInterval(java.time.Duration.ofMillis(250))
                    .until(() -> router.post("/webhooks/sumsub", body, Signer.sumsub(body)), r -> r.statusCode() == 200);
            assertThat(json(retry).get("duplicate").asBoolean()).isFalse();
            router.canonicalEventOf(json(retry).get("id").asLong());
        }
    }
}
