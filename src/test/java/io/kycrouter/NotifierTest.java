package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.StandardWebhooksVerifier;
import io.kycrouter.support.TestReceiver;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbound notifiers against real HTTP receivers: signatures, retries, dead letters, replay, filters, order. */
class NotifierTest {

    /** How long "nothing more arrives" must hold: longer than the poll period and the test targets' first backoff. */
    static final Duration QUIET = Duration.ofMillis(500);

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("notifier-test-key-0123456789".getBytes(StandardCharsets.UTF_8));

    static Map<String, String> settings(String name) throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir(name));
        s.put("kyc.notify.poll-period-ms", "50");
        return s;
    }

    static void httpTarget(Map<String, String> s, String name, String url) {
        String targets = s.getOrDefault("kyc.notify.targets", "");
        s.put("kyc.notify.targets", targets.isEmpty() ? name : targets + "," + name);
        String p = "kyc.notify.target." + name + ".";
        s.put(p + "type", "http");
        s.put(p + "url", url);
        s.put(p + "secret", SECRET);
        s.put(p + "backoff.initial-ms", "100");
        s.put(p + "backoff.max-ms", "400");
        s.put(p + "backoff.jitter-percent", "0");
        s.put(p + "read-timeout-ms", "5000");
    }

    static long post(RunningRouter router, String fixture) throws Exception {
        byte[] body = example("sumsub/" + fixture + ".json");
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").asLong();
    }

    static long postSumsub(RunningRouter router, String applicant, String type, String createdAtMs, String review) throws Exception {
        byte[] body = ("{\"applicantId\":\"" + applicant + "\",\"correlationId\":\"c-" + type + "\",\"type\":\"" + type
                + "\",\"createdAtMs\":\"" + createdAtMs + "\"" + (review == null ? "" : ",\"reviewResult\":" + review) + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("id").asLong();
    }

    static Map<String, Object> outboxRow(RunningRouter router, String target) throws Exception {
        List<Map<String, Object>> rows = router.rows("select * from outbox where target = ?", target);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void failingReceiverGetsTheEventOnceItRecoversSignedTheStandardWebhooksWay() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().failTimes(3, 500)) {
            Map<String, String> s = settings("notify-retry");
            httpTarget(s, "crm", receiver.url());
            s.put("kyc.notify.target.crm.headers", "Authorization");
            s.put("kyc.notify.target.crm.header.Authorization", "Bearer crm-token");
            try (RunningRouter router = RunningRouter.start(s)) {
                long inboxId = post(router, "applicantReviewed-2");
                JsonNode event = router.canonicalEventOf(inboxId);
                await("delivery after the receiver recovered").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);

                List<TestReceiver.Request> requests = receiver.requests();
                assertThat(requests).hasSize(4);
                assertThat(requests).extracting(TestReceiver.Request::answered).containsExactly(500, 500, 500, 200);
                for (TestReceiver.Request r : requests) {
                    assertThat(r.header("webhook-id")).isEqualTo(event.get("eventId").asText()); // stable across retries
                    StandardWebhooksVerifier.assertSignedWith(SECRET, r); // the official library, as a receiver checks it
                    assertThat(Math.abs(Long.parseLong(r.header("webhook-timestamp")) - Instant.now().getEpochSecond())).isLessThan(60);
                    assertThat(r.header("Authorization")).isEqualTo("Bearer crm-token");
                    assertThat(r.header("Content-Type")).startsWith("application/json");
                    assertThat(RunningRouter.JSON.readTree(r.body())).isEqualTo(event);
                }
                await("row marked delivered").atMost(RunningRouter.WAIT).until(() -> state(router, "crm").equals("delivered"));
                Map<String, Object> row = outboxRow(router, "crm");
                assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(4);
                assertThat(((Number) row.get("last_status")).intValue()).isEqualTo(200);
                await("nothing after the 2xx").during(QUIET).atMost(RunningRouter.WAIT)
                        .until(() -> receiver.requests().size() == 4);
            }
        }
    }

    static String state(RunningRouter router, String target) throws Exception {
        List<Map<String, Object>> rows = router.rows("select state from outbox where target = ?", target);
        return rows.isEmpty() ? "none" : (String) rows.get(0).get("state");
    }

    @Test
    void receiverDownPastTheLastAttemptGoesDeadAndReplayDeliversIt() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> s = settings("notify-dead");
        httpTarget(s, "crm", "http://127.0.0.1:" + port + "/hook");
        s.put("kyc.notify.target.crm.max-attempts", "3");
        try (RunningRouter router = RunningRouter.start(s)) {
            post(router, "applicantPending");
            await("dead letter").atMost(RunningRouter.WAIT).until(() -> state(router, "crm").equals("dead"));
            Map<String, Object> row = outboxRow(router, "crm");
            assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(3);
            assertThat((String) row.get("last_error")).contains("connection refused");

            HttpResponse<String> dead = router.get("/api/deliveries?state=dead");
            assertThat(dead.statusCode()).isEqualTo(200);
            JsonNode list = json(dead).get("deliveries");
            assertThat(list).hasSize(1);
            long id = list.get(0).get("id").asLong();
            assertThat(list.get(0).get("lastError").asText()).contains("connection refused");
            assertThat(router.request("POST", "/api/deliveries/" + id + "/replay", null).statusCode()).isEqualTo(401);

            try (TestReceiver receiver = TestReceiver.start(port)) {
                HttpResponse<String> replay = router.request("POST", "/api/deliveries/" + id + "/replay", RunningRouter.OPERATOR_TOKEN);
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
                await("replayed delivery").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
                await("delivered after replay").atMost(RunningRouter.WAIT).until(() -> state(router, "crm").equals("delivered"));
            }
            assertThat(router.request("POST", "/api/deliveries/" + id + "/replay", RunningRouter.OPERATOR_TOKEN).statusCode())
                    .isEqualTo(202); // a delivered row may be sent again on purpose
            assertThat(router.request("POST", "/api/deliveries/999999/replay", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aRestartInTheMiddleOfRetriesLosesNothingAndDeliversOnce() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().always(503)) {
            Map<String, String> s = settings("notify-restart");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter first = RunningRouter.start(s)) {
                post(first, "applicantReviewed-1");
                await("a few failed attempts").atMost(RunningRouter.WAIT).until(() -> receiver.requests().size() >= 2);
            }
            int before = receiver.requests().size();
            receiver.always(200);
            try (RunningRouter second = RunningRouter.start(s)) {
                await("delivery after restart").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
                await("row delivered").atMost(RunningRouter.WAIT).until(() -> state(second, "crm").equals("delivered"));
                await("no second delivery").during(QUIET).atMost(RunningRouter.WAIT)
                        .until(() -> receiver.successes() == 1);
                assertThat(receiver.requests().size()).isGreaterThan(before);
            }
        }
    }

    /** A target whose cursor row was removed by hand gets a new one at the log's head, and goes on delivering. */
    @Test
    void aTargetWhoseCursorWasRemovedStartsAgainAtTheHeadOfTheLog() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, String> s = settings("notify-cursor-removed");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                postSumsub(router, "cursor-1", "applicantCreated", "1700000000000", null);
                await("the first event delivered").atMost(RunningRouter.WAIT).until(() -> router.caughtUp("crm"));
                try (java.sql.Connection c = router.db()) {
                    c.createStatement().executeUpdate("delete from notify_cursor");
                }
                postSumsub(router, "cursor-2", "applicantCreated", "1700000001000", null);
                await("the second event delivered, and the cursor made again").atMost(RunningRouter.WAIT)
                        .until(() -> receiver.successes() == 2 && router.count("select count(*) from notify_cursor") == 1);
                postSumsub(router, "cursor-3", "applicantCreated", "1700000002000", null);
                await("an event after it delivered").atMost(RunningRouter.WAIT)
                        .until(() -> receiver.successes() == 3 && router.caughtUp("crm"));
            }
        }
    }

    @Test
    void aFinalDecisionsTargetReceivesOnlyFinalDecisions() throws Exception {
        try (TestReceiver decisions = TestReceiver.start(); TestReceiver everything = TestReceiver.start()) {
            Map<String, String> s = settings("notify-filter");
            httpTarget(s, "decisions", decisions.url());
            s.put("kyc.notify.target.decisions.filter.final-only", "true");
            httpTarget(s, "all", everything.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                post(router, "applicantCreated");
                post(router, "applicantPending");
                post(router, "applicantReviewed-2");      // GREEN: final
                post(router, "applicantReviewed-1");      // RED FINAL: final
                post(router, "applicantTagsChanged");
                await("all five events to the unfiltered target").atMost(RunningRouter.WAIT).until(() -> everything.successes() == 5);
                await("the two decisions").atMost(RunningRouter.WAIT).until(() -> decisions.successes() == 2);
                await("nothing more to the decisions target").during(QUIET).atMost(RunningRouter.WAIT)
                        .until(() -> decisions.requests().size() == 2);
                for (TestReceiver.Request r : decisions.requests()) {
                    assertThat(RunningRouter.JSON.readTree(r.body()).get("final").asBoolean()).isTrue();
                }
                await("both cursors past the five events").atMost(RunningRouter.WAIT)
                        .until(() -> router.caughtUp("decisions") && router.caughtUp("all"));
                assertThat(router.count("select count(*) from outbox")).as("every event delivered at once: no row").isZero();
            }
        }
    }

    @Test
    void aLaterEventWaitsWhileAnEarlierOneOfTheSameVerificationIsRetried() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            // the first request of verification ord-1 fails twice; everything else succeeds
            java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(2);
            receiver.answer(() -> failuresLeft.getAndDecrement() > 0 ? 503 : 200);
            Map<String, String> s = settings("notify-order");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                long first = postSumsub(router, "ord-1", "applicantPending", "2024-01-01 10:00:00.000", null);
                router.canonicalEventOf(first);
                postSumsub(router, "ord-1", "applicantReviewed", "2024-01-01 11:00:00.000", "{\"reviewAnswer\":\"GREEN\"}");
                postSumsub(router, "ord-1", "applicantTagsChanged", "2024-01-01 12:00:00.000", null);
                await("three deliveries").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 3);
                List<String> delivered = receiver.requests().stream().filter(r -> r.answered() == 200)
                        .map(r -> parse(r.body()).get("vendorEventType").asText()).toList();
                assertThat(delivered).containsExactly("applicantPending", "applicantReviewed", "applicantTagsChanged");
            }
        }
    }

    /**
     * New events are sent from the target's cursor in the log; a failed one gets an outbox row, and its verification's
     * later events wait behind it as rows of their own, sent by the claim query in turn. Whatever the batch (one event,
     * a few, many), with a slow receiver failing a quarter of the requests, every event arrives once, each
     * verification's in order.
     */
    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 3, 50})
    void everyEventArrivesOnceInOrderWhateverTheBatch(int capacity) throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            java.util.Random random = new java.util.Random(capacity);
            receiver.answer(() -> {
                try {
                    Thread.sleep(10); // a receiver slower than the senders: rows of one verification queue up together
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (random) {
                    return random.nextInt(4) == 0 ? 503 : 200;
                }
            });
            Map<String, String> s = settings("notify-batch-" + capacity);
            httpTarget(s, "crm", receiver.url());
            s.put("kyc.notify.target.crm.batch-size", String.valueOf(capacity));
            List<String> types = List.of("applicantCreated", "applicantPending", "applicantPrechecked", "applicantOnHold",
                    "applicantTagsChanged", "applicantLevelChanged");
            int verifications = 6;
            try (RunningRouter router = RunningRouter.start(s)) {
                java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(verifications);
                try {
                    List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
                    for (int v = 0; v < verifications; v++) {
                        String applicant = "batch-" + capacity + "-" + v;
                        sent.add(senders.submit(() -> {
                            for (int i = 0; i < types.size(); i++) { // one verification's events one after the other
                                postSumsub(router, applicant, types.get(i), String.valueOf(1_700_000_000_000L + i * 1000L), null);
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : sent) {
                        f.get();
                    }
                } finally {
                    senders.shutdown();
                }
                int expected = verifications * types.size();
                await(expected + " deliveries").atMost(RunningRouter.WAIT).until(() -> receiver.successes() >= expected);
                await("every retry recorded delivered").atMost(RunningRouter.WAIT)
                        .until(() -> router.count("select count(*) from outbox where state <> 'delivered'") == 0);
                Map<String, List<String>> received = new java.util.LinkedHashMap<>();
                receiver.requests().stream().filter(r -> r.answered() == 200).map(r -> parse(r.body())).forEach(e ->
                        received.computeIfAbsent(e.get("verificationId").asText(), k -> new java.util.ArrayList<>())
                                .add(e.get("vendorEventType").asText()));
                assertThat(received).hasSize(verifications);
                received.forEach((verification, got) -> assertThat(got).as(verification).containsExactlyElementsOf(types));
                assertThat(receiver.requests().stream().filter(r -> r.answered() == 503)).as("the receiver failed some").isNotEmpty();
            }
        }
    }

    static JsonNode parse(String body) {
        try {
            return RunningRouter.JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void goneDisablesTheTargetAndOther4xxAreNotRetried() throws Exception {
        try (TestReceiver gone = TestReceiver.start().always(410); TestReceiver bad = TestReceiver.start().always(400)) {
            Map<String, String> s = settings("notify-4xx");
            httpTarget(s, "gone", gone.url());
            httpTarget(s, "bad", bad.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                post(router, "applicantCreated");
                // a 410 is about the target: its delivery waits with it, pending (DisabledTargetOrderTest)
                await("bad dead, gone disabled").atMost(RunningRouter.WAIT).until(() -> state(router, "bad").equals("dead")
                        && state(router, "gone").equals("pending") && targetDisabled(router, "gone"));
                assertThat(bad.requests()).hasSize(1);
                assertThat(gone.requests()).hasSize(1);

                // a disabled target queues but does not send
                post(router, "applicantPending");
                await("bad target still gets new events").atMost(RunningRouter.WAIT).until(() -> bad.requests().size() == 2);
                await("nothing sent to the disabled target").during(QUIET).atMost(RunningRouter.WAIT)
                        .until(() -> gone.requests().size() == 1);
                assertThat(json(router.get("/api/deliveries")).get("disabledTargets").toString()).contains("gone");

                gone.always(200);
                HttpResponse<String> enable = router.request("POST", "/api/targets/gone/enable", RunningRouter.OPERATOR_TOKEN);
                assertThat(enable.statusCode()).as(enable.body()).isEqualTo(200);
                await("the 410'd event and the queued one delivered once enabled").atMost(RunningRouter.WAIT).until(() -> gone.successes() == 2);
                assertThat(gone.requests().stream().filter(r -> r.answered() == 200).map(r -> parse(r.body()).get("vendorEventType").asText()))
                        .containsExactlyInAnyOrder("applicantCreated", "applicantPending"); // two verifications
            }
        }
    }

    static boolean targetDisabled(RunningRouter router, String target) throws Exception {
        return router.count("select count(*) from notify_target_state where target = ?", target) == 1;
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().failTimes(1, 429).withHeaders(Map.of("Retry-After", "2"))) {
            Map<String, String> s = settings("notify-429");
            httpTarget(s, "crm", receiver.url());
            try (RunningRouter router = RunningRouter.start(s)) {
                post(router, "applicantCreated");
                await("first attempt").atMost(RunningRouter.WAIT).until(() -> receiver.requests().size() == 1);
                await("second attempt").atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 1);
                List<TestReceiver.Request> r = receiver.requests();
                long first = Long.parseLong(r.get(0).header("webhook-timestamp"));
                long second = Long.parseLong(r.get(1).header("webhook-timestamp"));
                assertThat(second - first).isGreaterThanOrEqualTo(2); // the backoff alone would be 100 ms
            }
        }
    }

    @Test
    void aReceiverSlowerThanTheReadTimeoutIsRetriedAndTheTargetsOptionsStayOutOfItsUrl() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().block()) {
            Map<String, String> s = settings("notify-timeout");
            httpTarget(s, "crm", receiver.url() + "?tenant=7");
            s.put("kyc.notify.target.crm.read-timeout-ms", "300");
            try (RunningRouter router = RunningRouter.start(s)) {
                post(router, "applicantCreated");
                await("a timed-out attempt recorded for retry").atMost(RunningRouter.WAIT)
                        .until(() -> router.count("select count(*) from outbox where target = 'crm' and last_error like '%imeout%'") == 1);
                receiver.release();
                await("delivered once the receiver answers in time").atMost(RunningRouter.WAIT).until(() -> receiver.successes() >= 1);
                assertThat(receiver.requests().get(0).uri()).isEqualTo("/hook?tenant=7");
            }
        }
    }

    @Test
    void aBlockedTargetDelaysNeitherTheOthersNorTheIngress() throws Exception {
        try (TestReceiver slow = TestReceiver.start().block(); TestReceiver fast = TestReceiver.start()) {
            Map<String, String> s = settings("notify-slow");
            httpTarget(s, "slow", slow.url());
            httpTarget(s, "fast", fast.url());
            s.put("kyc.notify.target.slow.read-timeout-ms", "60000");
            try (RunningRouter router = RunningRouter.start(s)) {
                post(router, "applicantCreated");
                post(router, "applicantPending");
                post(router, "applicantReviewed-2");
                await("fast target served while the slow one hangs").atMost(RunningRouter.WAIT).until(() -> fast.successes() == 3);
                assertThat(slow.successes()).isZero();
                slow.release();
                await("slow target catches up").atMost(RunningRouter.WAIT).until(() -> slow.successes() == 3);
            }
        }
    }

    @Test
    void replayReachesATargetAddedAfterTheEvents() throws Exception {
        Map<String, String> s = settings("notify-late");
        try (RunningRouter before = RunningRouter.start(s)) {
            post(before, "applicantCreated");
            long id = post(before, "applicantReviewed-2");
            before.canonicalEventOf(id);
        }
        try (TestReceiver late = TestReceiver.start()) {
            httpTarget(s, "late", late.url());
            s.put("kyc.notify.target.late.filter.statuses", "APPROVED");
            try (RunningRouter after = RunningRouter.start(s)) {
                assertThat(after.count("select count(*) from outbox")).isZero();
                HttpResponse<String> replay = after.request("POST", "/api/deliveries/replay?target=late&since=2000-01-01T00:00:00Z",
                        RunningRouter.OPERATOR_TOKEN);
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
                assertThat(json(replay).get("neverDeliveredEnqueued").asInt()).isEqualTo(1);
                await("the approved event delivered to the new target").atMost(RunningRouter.WAIT).until(() -> late.successes() == 1);
                assertThat(parse(late.requests().get(0).body()).get("status").asText()).isEqualTo("APPROVED");
                assertThat(after.request("POST", "/api/deliveries/replay?target=nope", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(404);
                assertThat(after.request("POST", "/api/deliveries/replay?target=late&since=yesterday", RunningRouter.OPERATOR_TOKEN).statusCode())
                        .isEqualTo(400);
            }
        }
    }
}
