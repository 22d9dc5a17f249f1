package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.fixture;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only what a vendor signed may identify an event, order it or decide a status: a captured delivery re-sent with
 * its unsigned parts changed is the same event, an event time that cannot be read never wins, and freshness is
 * checked on the time the vendor signed. The Treezor deliveries under src/test/resources/fixtures/treezor/trust were signed by PHP's
 * own json_encode and hash_hmac with the test secret.
 */
class SignedTrustTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("trust"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    private static Map<String, String> treezorHeaders() {
        return Map.of("Content-Type", "application/json");
    }

    private static String status(String vendor, String verificationId) throws Exception {
        JsonNode state = json(router.get("/api/verifications/" + vendor + "/" + verificationId));
        return state.get("status").asText();
    }

    private static void awaitEvents(String vendor, String verificationId, long count) {
        await(count + " events of " + vendor + " " + verificationId).atMost(RunningRouter.WAIT)
                .until(() -> router.count("select count(*) from canonical_event where vendor = ? and verification_id = ?",
                        vendor, verificationId) >= count);
    }

    private static HttpResponse<String> postOk(String vendor, byte[] body, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/" + vendor, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    // ---- 1. a captured delivery cannot change state a second time ------------------------------------------------

    @Test
    void treezorPayloadReplayedWithANewWebhookIdAndLaterTimeIsADuplicate() throws Exception {
        byte[] approvedOld = fixture("treezor/trust/approved-old.json");
        long first = json(postOk("treezor", approvedOld, treezorHeaders())).get("id").asLong();
        postOk("treezor", fixture("treezor/trust/refused-new.json"), treezorHeaders());
        awaitEvents("treezor", "900001", 2);
        assertThat(status("treezor", "900001")).isEqualTo("REJECTED");

        // the old, signed APPROVED payload again, under a new webhook_id, a later webhook_created_at and another name
        String text = new String(approvedOld, StandardCharsets.UTF_8);
        for (String replay : new String[] {
                text.replace("a1111111-0000-4000-8000-000000000001", "a1111111-0000-4000-8000-00000000beef")
                        .replace("1736503200", "1999999999"),
                text.replace("\"kycreview.result\"", "\"kycreview.request\""),
                "{\"messageId\":\"m-1\",\"webhookId\":\"w-1\",\"webhook\":" + text.replace("1736503200", "1999999999") + "}"}) {
            HttpResponse<String> again = postOk("treezor", replay.getBytes(StandardCharsets.UTF_8), treezorHeaders());
            assertThat(json(again).get("duplicate").asBoolean()).as(replay).isTrue();
            assertThat(json(again).get("id").asLong()).isEqualTo(first);
        }
        assertThat(router.count("select count(*) from canonical_event where vendor = 'treezor' and verification_id = '900001'"))
                .isEqualTo(2);
        assertThat(status("treezor", "900001")).isEqualTo("REJECTED");
    }

    @Test
    void didit_T_T0_and_T0000001_are_one_event_under_V2() throws Exception {
        long now = Instant.now().getEpochSecond();
        String session = "float-replay-1";
        // Declined, then Approved at the same signed time: a tie between two final decisions leaves the first
        byte[] declined = ("{\"session_id\":\"" + session + "\",\"status\":\"Declined\",\"created_at\":1727681886,\"timestamp\":" + now + "}")
                .getBytes(StandardCharsets.UTF_8);
        postOk("didit", declined, Signer.diditRaw(declined));
        String canonical = "{\"created_at\":1727681886,\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"timestamp\":" + now + "}";
        long first = -1;
        for (String createdAt : new String[] {"1727681886", "1727681886.0", "1727681886.0000001"}) {
            byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"created_at\":" + createdAt
                    + ",\"timestamp\":" + now + "}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = postOk("didit", body, Signer.diditV2(canonical));
            if (first < 0) {
                first = json(response).get("id").asLong();
                assertThat(json(response).get("duplicate").asBoolean()).isFalse();
            } else {
                assertThat(json(response).get("duplicate").asBoolean()).as(createdAt).isTrue();
                assertThat(json(response).get("id").asLong()).isEqualTo(first);
            }
        }
        awaitEvents("didit", session, 2);
        assertThat(router.count("select count(*) from canonical_event where vendor = 'didit' and verification_id = ?", session))
                .isEqualTo(2);
        assertThat(status("didit", session)).isEqualTo("REJECTED");
    }

    @Test
    void diditOrdersOnTheSignedDoubleNotOnTheText() throws Exception {
        long now = Instant.now().getEpochSecond();
        String session = "float-order-1";
        byte[] body = ("{\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"created_at\":1727681886.0000001,\"timestamp\":"
                + now + "}").getBytes(StandardCharsets.UTF_8);
        String canonical = "{\"created_at\":1727681886,\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"timestamp\":" + now + "}";
        JsonNode event = router.canonicalEventOf(json(postOk("didit", body, Signer.diditV2(canonical))).get("id").asLong());
        assertThat(event.get("occurredAt").asText()).isEqualTo("2024-09-30T07:38:06Z");
    }

    // ---- 2. state and ordering come from signed data -------------------------------------------------------------

    @Test
    void treezorOrdersOnTheSignedReviewTimeNotOnTheEnvelopesTime() throws Exception {
        // refused was reviewed later (signed), but its unsigned webhook_created_at claims it is the older one
        postOk("treezor", fixture("treezor/trust/refused-signed-newer.json"), treezorHeaders());
        postOk("treezor", fixture("treezor/trust/approved-signed-older.json"), treezorHeaders());
        awaitEvents("treezor", "900002", 2);
        assertThat(status("treezor", "900002")).isEqualTo("REJECTED");
    }

    // ---- 3. freshness is checked on signed time ------------------------------------------------------------------

    @Test
    void diditBodyWhoseSignedTimestampIsStaleIsRefusedEvenWithAFreshHeader() throws Exception {
        long stale = Instant.now().getEpochSecond() - 3600;
        byte[] body = ("{\"session_id\":\"stale-1\",\"status\":\"Approved\",\"created_at\":1727681886,\"timestamp\":" + stale + "}")
                .getBytes(StandardCharsets.UTF_8);
        long before = router.count("select count(*) from inbox");
        HttpResponse<String> raw = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(401);
        assertThat(json(raw).get("message").asText()).contains("$.timestamp");
        String canonical = "{\"created_at\":1727681886,\"session_id\":\"stale-1\",\"status\":\"Approved\",\"timestamp\":" + stale + "}";
        HttpResponse<String> v2 = router.post("/webhooks/didit", body, Signer.diditV2(canonical));
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(401);
        assertThat(json(v2).get("error").asText()).isEqualTo("unauthorized");
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
    }

    @Test
    void diditBodyWithoutATimestampIsCheckedOnTheHeaderAlone() throws Exception {
        byte[] body = "{\"session_id\":\"no-ts-1\",\"status\":\"In Progress\",\"created_at\":1727681886}".getBytes(StandardCharsets.UTF_8);
        postOk("didit", body, Signer.diditRaw(body));
    }

    // ---- 4. an X-Timestamp out of range is a 401, not a 500 ------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "-9223372036854775808", "9223372036854775807", "-1", "1e10", "0x10"})
    void outOfRangeTimestampHeaderIsA401WithAJsonBody(String timestamp) throws Exception {
        byte[] body = example("didit/in-progress.json");
        Map<String, String> headers = new LinkedHashMap<>(Signer.diditRaw(body));
        headers.put("X-Timestamp", timestamp);
        HttpResponse<String> response = router.post("/webhooks/didit", body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).get("message").asText()).contains("X-Timestamp");
    }

    // ---- 5. an unreadable event time never makes the event the newest -------------------------------------------

    @Test
    void veratadFailWithAGarbageTimestampDoesNotOverturnAnApproval() throws Exception {
        ObjectNode pass = (ObjectNode) RunningRouter.JSON.readTree(example("veratad/journey-3.json"));
        pass.put("request_id", "garbage-time-1");
        byte[] approved = RunningRouter.JSON.writeValueAsBytes(pass);
        postOk("veratad", approved, Signer.veratadHmac(approved));
        ObjectNode fail = pass.deepCopy();
        fail.put("status", "FAIL");
        JsonNode stops = fail.get("journey").get("stops");
        ((ObjectNode) stops.get(stops.size() - 1)).put("timestamp", "not a time at all");
        byte[] failed = RunningRouter.JSON.writeValueAsBytes(fail);
        long id = json(postOk("veratad", failed, Signer.veratadHmac(failed))).get("id").asLong();
        JsonNode event = router.canonicalEventOf(id);
        assertThat(event.get("status").asText()).isEqualTo("REJECTED");
        assertThat(event.get("occurredAt").isNull()).as("the event says its time is unknown").isTrue();
        assertThat(status("veratad", "garbage-time-1")).isEqualTo("APPROVED");
    }

    @Test
    void sumsubRejectionWithAGarbageTimeDoesNotOverturnAnApproval() throws Exception {
        ObjectNode green = (ObjectNode) RunningRouter.JSON.readTree(example("sumsub/applicantReviewed-2.json"));
        green.put("applicantId", "garbage-time-sumsub");
        byte[] approved = RunningRouter.JSON.writeValueAsBytes(green);
        postOk("sumsub", approved, Signer.sumsub(approved));
        ObjectNode red = (ObjectNode) RunningRouter.JSON.readTree(example("sumsub/applicantReviewed-1.json"));
        red.put("applicantId", "garbage-time-sumsub");
        red.put("createdAtMs", "garbage");
        byte[] rejected = RunningRouter.JSON.writeValueAsBytes(red);
        long id = json(postOk("sumsub", rejected, Signer.sumsub(rejected))).get("id").asLong();
        JsonNode event = router.canonicalEventOf(id);
        assertThat(event.get("status").asText()).isEqualTo("REJECTED");
        assertThat(status("sumsub", "garbage-time-sumsub")).isEqualTo("APPROVED");
    }

    @Test
    void anUnreadableTimeStillSetsTheFirstStatus() throws Exception {
        byte[] body = ("{\"session_id\":\"garbage-first\",\"status\":\"In Progress\",\"created_at\":\"whenever\",\"timestamp\":"
                + Instant.now().getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8);
        long id = json(postOk("didit", body, Signer.diditRaw(body))).get("id").asLong();
        router.canonicalEventOf(id);
        assertThat(status("didit", "garbage-first")).isEqualTo("IN_PROGRESS");
        // and any later event with a readable time moves it
        byte[] approved = ("{\"session_id\":\"garbage-first\",\"status\":\"Approved\",\"created_at\":1000000000,\"timestamp\":"
                + Instant.now().getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8);
        postOk("didit", approved, Signer.diditRaw(approved));
        awaitEvents("didit", "garbage-first", 2);
        assertThat(status("didit", "garbage-first")).isEqualTo("APPROVED");
    }

    // ---- replays with only unsigned things changed are duplicates ------------------------------------------------

    @Test
    void replayWithOnlyUnsignedHeadersOrQueryChangedIsADuplicate() throws Exception {
        byte[] sumsub = example("sumsub/applicantPending.json");
        long s = json(postOk("sumsub", sumsub, Signer.sumsub(sumsub))).get("id").asLong();
        Map<String, String> sumsubAgain = new LinkedHashMap<>(Signer.sumsub(sumsub));
        sumsubAgain.put("X-Request-Id", "replayed");
        sumsubAgain.put("User-Agent", "replayer/1.0");
        assertDuplicate(router.post("/webhooks/sumsub?attempt=2", sumsub, sumsubAgain), s);

        byte[] didit = Signer.diditStamped(example("didit/in-progress.json"), Instant.now().getEpochSecond());
        long d = json(postOk("didit", didit, Signer.diditRaw(didit))).get("id").asLong();
        Map<String, String> diditAgain = new LinkedHashMap<>(Signer.diditRaw(didit, Instant.now().getEpochSecond() - 100));
        diditAgain.put("X-Request-Id", "replayed");
        assertDuplicate(router.post("/webhooks/didit?attempt=2", didit, diditAgain), d);

        byte[] veratad = example("veratad/journey-2.json");
        long v = json(postOk("veratad", veratad, Signer.veratadHmac(veratad))).get("id").asLong();
        Map<String, String> veratadAgain = new LinkedHashMap<>(Signer.veratadHmac(veratad));
        veratadAgain.put("X-Request-Id", "replayed");
        assertDuplicate(router.post("/webhooks/veratad?attempt=2", veratad, veratadAgain), v);

        byte[] treezor = example("treezor/qes.processing.json");
        long t = json(postOk("treezor", treezor, treezorHeaders())).get("id").asLong();
        String changed = new String(treezor, StandardCharsets.UTF_8).replace("5fa78cf6-c85b-46c2-b950-a7ad7e974291", "replayed")
                .replace("17194725841286", "17999999999999");
        assertDuplicate(router.post("/webhooks/treezor?attempt=2", changed.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain", "X-Request-Id", "replayed")), t);
    }

    private static void assertDuplicate(HttpResponse<String> response, long firstId) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("duplicate").asBoolean()).isTrue();
        assertThat(json(response).get("id").asLong()).isEqualTo(firstId);
    }
}
