package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.fixture;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every Didit example of the vendor's webhook documentation (turned into JSON), posted over HTTP with valid signatures. */
class DiditWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("didit"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    /** A fixture with a fresh signed timestamp in its body, as Didit sends it. */
    static byte[] stamped(String fixture) throws Exception {
        return Signer.diditStamped(example(fixture), Instant.now().getEpochSecond());
    }

    @ParameterizedTest(name = "{0} signed with X-Signature-V2")
    @CsvSource({
            "not-started,      VERIFICATION_CREATED,   NOT_STARTED, false, 2024-09-30T07:35:52Z",
            "in-progress,      VERIFICATION_STARTED,   IN_PROGRESS, false, 2024-09-30T07:37:16Z",
            "approved,         VERIFICATION_COMPLETED, APPROVED,    true,  2024-09-30T07:38:06Z",
            "declined-unicode, VERIFICATION_COMPLETED, REJECTED,    true,  2024-09-30T09:53:20Z",
    })
    void documentedExampleSignedWithV2BecomesItsCanonicalEvent(String fixture, String type, String status, boolean isFinal,
                                                               String occurredAt) throws Exception {
        long now = Instant.now().getEpochSecond(); // Didit's body carries its own signed timestamp
        byte[] body = Signer.diditStamped(example("didit/" + fixture + ".json"), now);
        String canonical = Signer.diditV2Stamped(new String(fixture("didit/" + fixture + ".v2.txt"), StandardCharsets.UTF_8), now);
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditV2(canonical));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long inboxId = json(response).get("id").asLong();
        JsonNode event = router.canonicalEventOf(inboxId);
        JsonNode payload = RunningRouter.JSON.readTree(body);
        assertThat(event.get("verificationId").asText()).isEqualTo(payload.get("session_id").asText());
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("occurredAt").asText()).isEqualTo(occurredAt);
        assertThat(event.get("vendorEventType").asText()).isEqualTo(payload.get("status").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "Not Started, VERIFICATION_CREATED,     NOT_STARTED,    false",
            "In Progress, VERIFICATION_STARTED,     IN_PROGRESS,    false",
            "In Review,   VERIFICATION_SUBMITTED,   PENDING_REVIEW, false",
            "Approved,    VERIFICATION_COMPLETED,   APPROVED,       true",
            "Declined,    VERIFICATION_COMPLETED,   REJECTED,       true",
            "Abandoned,   VERIFICATION_ABANDONED,   ABANDONED,      false",
            "Expired,     VERIFICATION_EXPIRED,     EXPIRED,        false",
            "Kyc Expired, VERIFICATION_EXPIRED,     EXPIRED,        false",
            "Resubmitted, VERIFICATION_RESUBMITTED, IN_PROGRESS,    false",
            "Paused,      UNKNOWN,                  UNKNOWN,        false",
    })
    void everyDiditStatusIsMapped(String status, String type, String canonical, boolean isFinal) throws Exception {
        byte[] body = ("{\"session_id\":\"all-" + status.replace(' ', '-') + "\",\"status\":\"" + status
                + "\",\"created_at\":1727681752,\"vendor_data\":\"u-1\",\"timestamp\":" + Instant.now().getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").asText()).isEqualTo(canonical);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("occurredAt").asText()).isEqualTo("2024-09-30T07:35:52Z");
    }

    @Test
    void approvedDecisionBecomesChecksWithoutPersonalData() throws Exception {
        byte[] body = stamped("didit/approved.json");
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());

        assertThat(event.get("checks").toString())
                .contains("{\"name\":\"kyc\",\"result\":\"Approved\",\"score\":null}")
                .contains("{\"name\":\"face_match\",\"result\":\"Approved\",\"score\":99.96245574951172}")
                .contains("{\"name\":\"liveness\",\"result\":\"Approved\",\"score\":92.87}");
        // vendor_data holds an e-mail address in Didit's example: it is pseudonymised, never copied
        assertThat(event.get("externalUserId").asText()).startsWith("sha256:");
        String all = event.toString();
        for (String personal : new String[] {"ngdatuananh", "Dang Tuan Anh", "Nguyen", "Hanoi", "21.0292", "105.8526", "Viet Nam", "iPhone"}) {
            assertThat(all).doesNotContain(personal);
        }
    }

    @Test
    void declinedDecisionCarriesWarningsAsReasonsAndNoPersonalData() throws Exception {
        byte[] body = stamped("didit/declined-unicode.json");
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("reasons").toString()).contains("FACE_MISMATCH").contains("DOCUMENT_EXPIRED");
        assertThat(event.get("externalUserId").asText()).isEqualTo("user-8841");
        String all = event.toString();
        for (String personal : new String[] {"José", "Müller", "日本", "X1234567", "1990-01-01", "203.0.113.7", "40.4168"}) {
            assertThat(all).doesNotContain(personal);
        }
        // but the inbox keeps the delivery exactly as received
        assertThat((String) router.rows("select body from inbox where id = ?", event.get("inboxId").asLong()).get(0).get("body"))
                .isEqualTo(new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void rawBodySignatureIsAccepted() throws Exception {
        byte[] body = stamped("didit/in-progress.json");
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void staleTimestampIsRefusedAndNothingStored() throws Exception {
        byte[] body = stamped("didit/approved.json");
        long before = router.count("select count(*) from inbox");
        HttpResponse<String> response = router.post("/webhooks/didit", body,
                Signer.diditRaw(body, Instant.now().getEpochSecond() - 301));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("stale timestamp");
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
    }

    @Test
    void futureTimestampBeyondTheWindowIsRefused() throws Exception {
        byte[] body = stamped("didit/approved.json");
        HttpResponse<String> response = router.post("/webhooks/didit", body,
                Signer.diditRaw(body, Instant.now().getEpochSecond() + 600));
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void missingTimestampIsRefused() throws Exception {
        byte[] body = stamped("didit/approved.json");
        Map<String, String> headers = new java.util.LinkedHashMap<>(Signer.diditRaw(body));
        headers.remove("X-Timestamp");
        HttpResponse<String> response = router.post("/webhooks/didit", body, headers);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("X-Timestamp");
    }

    @Test
    void v2SignatureOverAlteredContentIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[] body = Signer.diditStamped(example("didit/approved.json"), now);
        String canonical = Signer.diditV2Stamped(new String(fixture("didit/approved.v2.txt"), StandardCharsets.UTF_8), now);
        byte[] forged = new String(body, StandardCharsets.UTF_8).replace("\"Approved\",\n  \"created_at\"", "\"Declined\",\n  \"created_at\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(forged).isNotEqualTo(body);
        HttpResponse<String> response = router.post("/webhooks/didit", forged, Signer.diditV2(canonical));
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void simpleSignatureIsRefusedUnlessConfigAllowsIt() throws Exception {
        byte[] body = example("didit/declined-unicode.json");
        long ts = Instant.now().getEpochSecond();
        String simple = ts + ":5a1e2f3c-0000-4b7a-9c1d-declined0001:Declined:status.updated";
        Map<String, String> headers = Map.of("Content-Type", "application/json", "X-Timestamp", String.valueOf(ts),
                "X-Signature-Simple", Signer.hmacHex("HmacSHA256", RunningRouter.DIDIT_SECRET, simple.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> refused = router.post("/webhooks/didit", body, headers);
        assertThat(refused.statusCode()).isEqualTo(401);

        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("didit-simple"));
        settings.put("kyc.vendor.didit.auth.simple.enabled", "true");
        try (RunningRouter allowing = RunningRouter.start(settings)) {
            HttpResponse<String> accepted = allowing.post("/webhooks/didit", body, headers);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
    }
}
