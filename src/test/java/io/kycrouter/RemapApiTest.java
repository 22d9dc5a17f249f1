package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.TestReceiver;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Map again after a fix (issue 15): deliveries stored while the Didit route was wrong (some statuses mapped to UNKNOWN,
 * Declined failing outright, so parked) are mapped again through the fixed route, over the operator API. The router is
 * restarted between the two, as an operator restarts it after editing a route. New events are written with new ids,
 * the old ones stay superseded, the verification's state is computed again, and the target is notified of the new
 * events only.
 */
class RemapApiTest {

    static final long T0 = 1_767_225_600L; // 2026-01-01T00:00:00Z, the vendor's event times (created_at)
    static final int MIXED = 6;

    static Path dir;
    static Map<String, String> settings;
    static TestReceiver receiver;
    static RunningRouter router;

    /** Inbox ids of the deliveries posted while the route was wrong. */
    static long aInProgress;
    static long aApproved;
    static long cDeclined;
    static long expired1;
    static long expired2;
    static long steady;
    static long abandonedBefore;
    static long abandonedAfter1;
    static long abandonedAfter2;
    static long purged;
    static long down;
    static long raced;
    static long movedVerification;
    /** Per verification remap-mix-i: its Approved delivery (mapped UNKNOWN by the broken route). */
    static final List<Long> mixed = new ArrayList<>();

    @BeforeAll
    static void storeDeliveriesWithTheBrokenRouteThenFixIt() throws Exception {
        dir = RunningRouter.tempDir("remap");
        receiver = TestReceiver.start();
        settings = RunningRouter.defaults(dir);
        NotifierTest.httpTarget(settings, "crm", receiver.url());
        settings.put("kyc.notify.poll-period-ms", "50");
        // parked rows must stay parked until the test maps them again
        settings.put("kyc.inbox.recovery-period-ms", "3600000");
        Path vendors = brokenVendors();
        settings.put("kyc.vendors.dir", vendors.toString());
        router = RunningRouter.start(settings);
        aInProgress = post("remap-a", "In Progress", T0);
        aApproved = post("remap-a", "Approved", T0 + 60);
        cDeclined = post("remap-c", "Declined", T0);
        expired1 = post("remap-e1", "Expired", T0);
        expired2 = post("remap-e2", "Expired", T0);
        steady = post("remap-steady", "In Progress", T0);
        abandonedBefore = post("remap-g1", "Abandoned", T0);
        abandonedAfter1 = post("remap-g2", "Abandoned", T0);
        abandonedAfter2 = post("remap-g3", "Abandoned", T0);
        purged = post("remap-p", "Approved", T0);
        down = post("remap-down", "Approved", T0);
        raced = post("remap-race", "Approved", T0);
        movedVerification = post("remap-k", "Kyc Expired", T0);
        for (int i = 0; i < MIXED; i++) {
            post("remap-mix-" + i, "In Progress", T0);
            mixed.add(post("remap-mix-" + i, "Approved", T0 + 60));
        }
        assertThat(router.canonicalEventOf(aApproved).get("status").asText()).isEqualTo("UNKNOWN");
        assertThat(router.count("select count(*) from inbox where id = ? and processed_at is null", cDeclined)).isEqualTo(1);
        // every event but the parked one
        await().atMost(RunningRouter.WAIT).until(() -> receiver.successes() == 12 + 2 * MIXED);
        // retention purged this one's body (as router/retention.yaml does after kyc.retention.inbox-body-days)
        update("update inbox set body = null where id = ?", purged);
        router.close();

        // the route fixed (the shipped one) in the same vendor folder, the router restarted on the same database
        Files.copy(Path.of("vendors", "didit", "routes.yaml"), vendors.resolve("didit").resolve("routes.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        settings.put("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        settings.put("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        router = RunningRouter.start(settings);
    }

    /**
     * A copy of the vendor folders whose Didit route is wrong: Approved, Expired and Abandoned map to UNKNOWN, Declined
     * fails, and Kyc Expired is filed under the wrong verification (the user reference).
     */
    static Path brokenVendors() throws Exception {
        Path vendors = RunningRouter.vendorsCopy("remap-vendors");
        Path didit = vendors.resolve("didit").resolve("routes.yaml");
        String route = Files.readString(didit);
        for (String status : List.of("Approved", "Expired", "Abandoned")) {
            route = route.replace("@.status == '" + status + "'", "@.status == '" + status + " (typo)'");
        }
        route = route.replace("                  - setVariable: { name: status, constant: REJECTED }\n",
                "                  - setVariable: { name: status, constant: REJECTED }\n"
                        + "                  - throwException: { exceptionType: java.lang.IllegalStateException, message: broken mapping }\n");
        String kycExpired = "              - jsonpath: \"$[?(@.status == 'Kyc Expired')]\"\n                steps:\n";
        route = route.replace(kycExpired, kycExpired
                + "                  - setVariable: { name: verificationId, jsonpath: \"$.vendor_data\" }\n");
        assertThat(route).contains("broken mapping").contains("Approved (typo)")
                .contains("jsonpath: \"$.vendor_data\" }\n                  - setVariable: { name: type");
        Files.writeString(didit, route);
        return vendors;
    }

    static long post(String session, String status, long createdAt) throws Exception {
        byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"" + status + "\",\"created_at\":" + createdAt
                + ",\"vendor_data\":\"user-" + session + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer).get("id").asLong();
    }

    static void update(String sql, Object... params) throws Exception {
        try (var c = router.db(); var s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
        }
        receiver.close();
    }

    static HttpResponse<String> remap(String path) throws Exception {
        return router.request("POST", path, RunningRouter.OPERATOR_TOKEN);
    }

    static List<Map<String, Object>> events(long inboxId) throws Exception {
        return router.rows("select event_id, status, superseded_by, superseded_at, revision from canonical_event"
                + " where inbox_id = ? order by revision", inboxId);
    }

    /** When the delivery was received, as stored (H2 reads it as an OffsetDateTime, PostgreSQL as a Timestamp). */
    static Instant receivedAt(long inboxId) throws Exception {
        Object at = router.rows("select received_at from inbox where id = ?", inboxId).get(0).get("received_at");
        return at instanceof OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) at).toInstant();
    }

    static String state(String verification) throws Exception {
        return json(router.get("/api/verifications/didit/" + verification)).get("status").asText();
    }

    static List<JsonNode> notified(String eventId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (TestReceiver.Request r : receiver.requests()) {
            JsonNode body = RunningRouter.JSON.readTree(r.body());
            if (eventId.equals(body.path("eventId").asText())) {
                found.add(body);
            }
        }
        return found;
    }

    @Test
    void anEventMappedUnknownIsMappedAgainSupersededStateMovedAndTheTargetNotified() throws Exception {
        String old = (String) events(aApproved).get(0).get("event_id");
        assertThat(state("remap-a")).isEqualTo("IN_PROGRESS"); // UNKNOWN never moves an established status

        HttpResponse<String> answer = remap("/api/inbox/" + aApproved + "/remap");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.get("remapped").asInt()).isEqualTo(1);
        assertThat(body.get("unchanged").asInt()).isZero();
        assertThat(body.get("parked").asInt()).isZero();
        JsonNode result = body.get("results").get(0);
        assertThat(result.get("inboxId").asLong()).isEqualTo(aApproved);
        assertThat(result.get("outcome").asText()).isEqualTo("remapped");
        assertThat(result.get("supersedes").asText()).isEqualTo(old);
        String fresh = result.get("eventIds").get(0).asText();
        assertThat(fresh).isNotEqualTo(old);

        List<Map<String, Object>> rows = events(aApproved);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("event_id")).isEqualTo(old);
        assertThat(rows.get(0).get("superseded_by")).isEqualTo(fresh);
        assertThat(rows.get(0).get("superseded_at")).isNotNull();
        assertThat(rows.get(1).get("event_id")).isEqualTo(fresh);
        assertThat(rows.get(1).get("status")).isEqualTo("APPROVED");
        assertThat(rows.get(1).get("superseded_by")).isNull();
        assertThat(state("remap-a")).isEqualTo("APPROVED");
        JsonNode stateView = json(router.get("/api/verifications/didit/remap-a"));
        assertThat(stateView.get("eventCount").asLong()).isEqualTo(2); // the current events: In Progress, Approved
        assertThat(stateView.get("final").asBoolean()).isTrue();

        await().atMost(RunningRouter.WAIT).until(() -> notified(fresh).size() == 1);
        JsonNode sent = notified(fresh).get(0);
        assertThat(sent.get("status").asText()).isEqualTo("APPROVED");
        assertThat(sent.get("supersedes").asText()).isEqualTo(old);
        assertThat(sent.get("verificationId").asText()).isEqualTo("remap-a");

        JsonNode log = json(router.get("/api/verifications/didit/remap-a/events"));
        assertThat(log.size()).isEqualTo(3);
        List<String> superseded = new ArrayList<>();
        log.forEach(e -> {
            if (e.has("supersededBy")) {
                superseded.add(e.get("eventId").asText() + "->" + e.get("supersededBy").asText());
                assertThat(e.get("supersededAt").asText()).endsWith("Z");
            }
        });
        assertThat(superseded).containsExactly(old + "->" + fresh);

        // mapped again with nothing changed since: nothing written, nothing sent
        await("the notifications so far sent").atMost(RunningRouter.WAIT).until(() -> router.caughtUp("crm"));
        int requests = receiver.requests().size();
        JsonNode again = json(remap("/api/inbox/" + aApproved + "/remap"));
        assertThat(again.get("unchanged").asInt()).isEqualTo(1);
        assertThat(again.get("results").get(0).get("eventIds").get(0).asText()).isEqualTo(fresh);
        assertThat(events(aApproved)).hasSize(2);
        assertThat(receiver.requests()).hasSize(requests);
    }

    @Test
    void aCorrectEventMappedAgainIsUnchangedAndNothingIsWrittenOrSent() throws Exception {
        await("the notifications of the other tests sent").atMost(RunningRouter.WAIT).until(() -> router.caughtUp("crm"));
        long outbox = router.count("select count(*) from outbox");
        int requests = receiver.requests().size();
        HttpResponse<String> answer = remap("/api/inbox/" + steady + "/remap");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.get("unchanged").asInt()).isEqualTo(1);
        assertThat(body.get("remapped").asInt()).isZero();
        assertThat(body.get("results").get(0).get("outcome").asText()).isEqualTo("unchanged");
        assertThat(events(steady)).hasSize(1);
        assertThat(events(steady).get(0).get("superseded_by")).isNull();
        assertThat(router.count("select count(*) from outbox")).isEqualTo(outbox);
        assertThat(receiver.requests()).hasSize(requests);

        // by its event type (percent-encoded, as a client sends a space) since it was received: the same outcome, for
        // it and the In Progress deliveries received after it
        String since = URLEncoder.encode(receivedAt(steady).toString(), StandardCharsets.UTF_8);
        JsonNode batch = json(remap("/api/inbox/remap?vendor=didit&eventType=In%20Progress&since=" + since));
        assertThat(batch.get("results").findValues("inboxId").stream().map(JsonNode::asLong)).startsWith(steady)
                .doesNotContain(aInProgress).hasSize(1 + MIXED);
        assertThat(batch.get("unchanged").asInt()).isEqualTo(1 + MIXED);
        assertThat(batch.get("remapped").asInt()).isZero();
        assertThat(events(steady)).hasSize(1);
        assertThat(router.count("select count(*) from outbox")).isEqualTo(outbox);
    }

    @Test
    void aParkedDeliveryThatNowMapsGetsItsEventAndLeavesTheParkedList() throws Exception {
        assertThat(router.get("/api/inbox/parked?vendor=didit").body()).contains("\"id\":" + cDeclined + ",");
        JsonNode body = json(remap("/api/inbox/" + cDeclined + "/remap"));
        assertThat(body.get("remapped").asInt()).as(body.toString()).isEqualTo(1);
        JsonNode result = body.get("results").get(0);
        assertThat(result.has("supersedes")).isFalse();
        List<Map<String, Object>> rows = events(cDeclined);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("status")).isEqualTo("REJECTED");
        assertThat(rows.get(0).get("event_id")).isEqualTo(result.get("eventIds").get(0).asText());
        assertThat(router.get("/api/inbox/parked?vendor=didit").body()).doesNotContain("\"id\":" + cDeclined + ",");
        assertThat(router.count("select count(*) from inbox where id = ? and processed_at is not null and last_error is null",
                cDeclined)).isEqualTo(1);
        assertThat(state("remap-c")).isEqualTo("REJECTED");
        String fresh = result.get("eventIds").get(0).asText();
        await().atMost(RunningRouter.WAIT).until(() -> notified(fresh).size() == 1);
    }

    @Test
    void aVendorsDeliveriesOfOneEventTypeAreMappedAgainAndNoOthers() throws Exception {
        HttpResponse<String> answer = remap("/api/inbox/remap?vendor=didit&eventType=Expired");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.get("remapped").asInt()).isEqualTo(2);
        assertThat(body.get("more").asBoolean()).isFalse();
        List<Long> ids = new ArrayList<>();
        body.get("results").forEach(r -> ids.add(r.get("inboxId").asLong()));
        assertThat(ids).containsExactly(expired1, expired2);
        assertThat(state("remap-e1")).isEqualTo("EXPIRED");
        assertThat(state("remap-e2")).isEqualTo("EXPIRED");
        assertThat(events(steady)).hasSize(1);
        assertThat(events(abandonedAfter1)).hasSize(1);
        // the same call again: the events now say what the route says
        JsonNode again = json(remap("/api/inbox/remap?vendor=didit&eventType=Expired"));
        assertThat(again.get("unchanged").asInt()).isEqualTo(2);
        assertThat(again.get("remapped").asInt()).isZero();
    }

    @Test
    void aVendorsDeliveriesSinceATimeAreMappedAgainAPageAtATime() throws Exception {
        String since = receivedAt(abandonedAfter1).toString();
        // everything of the vendor received since the mark, in pages of one; the first two are the Abandoned ones
        JsonNode first = json(remap("/api/inbox/remap?vendor=didit&since=" + since + "&limit=1"));
        assertThat(first.get("results").size()).isEqualTo(1);
        assertThat(first.get("results").get(0).get("inboxId").asLong()).isEqualTo(abandonedAfter1);
        assertThat(first.get("remapped").asInt()).isEqualTo(1);
        assertThat(first.get("more").asBoolean()).isTrue();
        long next = first.get("nextAfterId").asLong();
        JsonNode second = json(remap("/api/inbox/remap?vendor=didit&since=" + since + "&limit=1&afterId=" + next));
        assertThat(second.get("results").get(0).get("inboxId").asLong()).isEqualTo(abandonedAfter2);
        assertThat(second.get("remapped").asInt()).isEqualTo(1);
        assertThat(state("remap-g2")).isEqualTo("ABANDONED");
        assertThat(state("remap-g3")).isEqualTo("ABANDONED");
        assertThat(state("remap-g1")).as("received before the mark: left alone").isEqualTo("UNKNOWN");
        assertThat(events(abandonedBefore)).hasSize(1);
    }

    @Test
    void aDeliveryWhoseBodyWasPurgedCannotBeMappedAgain() throws Exception {
        HttpResponse<String> answer = remap("/api/inbox/" + purged + "/remap");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(410);
        assertThat(json(answer).get("error").asText()).isEqualTo("body_purged");
        assertThat(json(answer).get("message").asText()).contains("purged by retention");
        assertThat(events(purged)).hasSize(1);
        assertThat(events(purged).get(0).get("superseded_by")).isNull();
        // in a batch it is reported, not mapped
        String since = receivedAt(purged).toString();
        JsonNode all = json(remap("/api/inbox/remap?vendor=didit&since=" + since + "&limit=1"));
        assertThat(all.get("results").get(0).get("inboxId").asLong()).isEqualTo(purged);
        assertThat(all.get("results").get(0).get("outcome").asText()).isEqualTo("purged");
        assertThat(all.get("purged").asInt()).isEqualTo(1);
        assertThat(events(purged)).hasSize(1);
    }

    @Test
    void twoRemapsOfOneDeliveryAtOnceWriteOneNewEvent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit((Callable<HttpResponse<String>>) () -> remap("/api/inbox/" + raced + "/remap")));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> answer = call.get();
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                outcomes.add(json(answer).get("results").get(0).get("outcome").asText());
            }
            assertThat(outcomes).containsOnly("remapped", "unchanged");
            assertThat(outcomes).filteredOn("remapped"::equals).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> rows = events(raced);
        assertThat(rows).hasSize(2);
        assertThat(rows).filteredOn(r -> r.get("superseded_by") == null).hasSize(1);
        assertThat(state("remap-race")).isEqualTo("APPROVED");
    }

    @Test
    void aRemapAndANewDeliveryOfTheSameVerificationAtOnceLeaveTheStateOfAllItsEvents() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2 * MIXED);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < MIXED; i++) {
                long approved = mixed.get(i);
                String session = "remap-mix-" + i;
                calls.add(pool.submit(() -> remap("/api/inbox/" + approved + "/remap")));
                calls.add(pool.submit(() -> {
                    byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"Resubmitted\",\"created_at\":" + (T0 + 120)
                            + "}").getBytes(StandardCharsets.UTF_8);
                    return router.post("/webhooks/didit", body, Signer.diditRaw(body));
                }));
            }
            for (Future<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).as(call.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < MIXED; i++) {
            // whatever the order: In Progress, Approved (mapped again), Resubmitted (the newest, back in progress)
            JsonNode state = json(router.get("/api/verifications/didit/remap-mix-" + i));
            assertThat(state.get("status").asText()).as(state.toString()).isEqualTo("IN_PROGRESS");
            assertThat(state.get("eventCount").asLong()).as(state.toString()).isEqualTo(3);
            assertThat(state.get("statusAt").asText()).isEqualTo(Instant.ofEpochSecond(T0 + 120).toString());
            assertThat(state.get("externalUserId").asText()).isEqualTo("user-remap-mix-" + i);
            assertThat(events(mixed.get(i))).hasSize(2);
        }
    }

    @Test
    void anEventFiledUnderTheWrongVerificationMovesAndBothStatesAreComputedAgain() throws Exception {
        assertThat(state("user-remap-k")).isEqualTo("EXPIRED");
        JsonNode body = json(remap("/api/inbox/" + movedVerification + "/remap"));
        assertThat(body.get("remapped").asInt()).as(body.toString()).isEqualTo(1);
        String fresh = body.get("results").get(0).get("eventIds").get(0).asText();
        assertThat(state("remap-k")).isEqualTo("EXPIRED");
        // the wrong verification has no current event left: it has no state any more, its log keeps the old event
        assertThat(router.get("/api/verifications/didit/user-remap-k").statusCode()).isEqualTo(404);
        JsonNode oldLog = json(router.get("/api/verifications/didit/user-remap-k/events"));
        assertThat(oldLog.size()).isEqualTo(1);
        assertThat(oldLog.get(0).get("supersededBy").asText()).isEqualTo(fresh);
        JsonNode newLog = json(router.get("/api/verifications/didit/remap-k/events"));
        assertThat(newLog.size()).isEqualTo(1);
        assertThat(newLog.get(0).get("eventId").asText()).isEqualTo(fresh);
        assertThat(newLog.get(0).has("supersededBy")).isFalse();
    }

    @Test
    void badCallsAreRefusedClearly() throws Exception {
        HttpResponse<String> unknownId = remap("/api/inbox/987654321/remap");
        assertThat(unknownId.statusCode()).isEqualTo(404);
        assertThat(json(unknownId).get("error").asText()).isEqualTo("not_found");
        assertThat(remap("/api/inbox/abc/remap").statusCode()).isEqualTo(400);
        HttpResponse<String> unknownVendor = remap("/api/inbox/remap?vendor=nobody&all=true");
        assertThat(unknownVendor.statusCode()).isEqualTo(404);
        assertThat(json(unknownVendor).get("error").asText()).isEqualTo("unknown_vendor");
        HttpResponse<String> noVendor = remap("/api/inbox/remap?eventType=Approved");
        assertThat(noVendor.statusCode()).isEqualTo(400);
        assertThat(json(noVendor).get("error").asText()).isEqualTo("invalid_parameter");
        HttpResponse<String> everything = remap("/api/inbox/remap?vendor=didit");
        assertThat(everything.statusCode()).isEqualTo(400);
        assertThat(json(everything).get("message").asText()).contains("all=true");
        assertThat(remap("/api/inbox/remap?vendor=didit&since=yesterday").statusCode()).isEqualTo(400);
        assertThat(remap("/api/inbox/remap?vendor=didit&all=maybe").statusCode()).isEqualTo(400);
        HttpResponse<String> noToken = router.request("POST", "/api/inbox/" + aInProgress + "/remap", null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(json(noToken).get("error").asText()).isEqualTo("unauthorized");
        assertThat(router.request("POST", "/api/inbox/remap?vendor=didit&all=true", "wrong").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/inbox/" + aInProgress + "/remap", RunningRouter.OPERATOR_TOKEN).statusCode())
                .isEqualTo(405);
        assertThat(events(aInProgress)).hasSize(1);
    }
}
