package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.VendorExamples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Veriff's decision and event webhooks over HTTP, signed with X-HMAC-SIGNATURE. */
class VeriffWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("veriff"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    private static JsonNode accepted(byte[] body) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/veriff", body, Signer.veriff(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long inboxId = json(response).get("id").asLong();
        assertThat(router.count("select count(*) from inbox where id = ? and vendor = 'veriff'", inboxId)).isEqualTo(1);
        return router.canonicalEventOf(inboxId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"decision-approved", "event-submitted"})
    void documentedExampleBecomesItsExpectedEvent(String example) throws Exception {
        JsonNode event = accepted(VendorExamples.body("veriff", example));
        VendorExamples.assertProduces("veriff", example, event);
    }

    @Test
    void theDecisionsPersonalDataDoesNotReachTheEvent() throws Exception {
        // the documented decision holds a name, a birth date and place, a document number and an IP
        JsonNode event = accepted(new String(VendorExamples.body("veriff", "decision-approved"), StandardCharsets.UTF_8)
                .replace("2019-11-06T07:18:36.916Z", "2019-11-06T07:19:00.000Z").getBytes(StandardCharsets.UTF_8));
        assertThat(event.toString()).doesNotContain("MORGAN", "SARAH", "1967", "MADRID", "MORGA753116SM9IJ",
                "186.153.67.122", "DRIVERS_LICENSE", "2022-04-20");
        String stored = (String) router.rows("select payload from canonical_event where inbox_id = ?",
                event.get("inboxId").asLong()).get(0).get("payload");
        assertThat(stored).doesNotContain("MORGAN", "SARAH", "186.153.67.122");
    }

    @ParameterizedTest
    @CsvSource({
            "declined,               102, VERIFICATION_COMPLETED, REJECTED,              true",
            "resubmission_requested, 201, VERIFICATION_COMPLETED, RESUBMISSION_REQUIRED, false",
            "review,                 -,   VERIFICATION_SUBMITTED, PENDING_REVIEW,        false",
            "expired,                -,   VERIFICATION_EXPIRED,   EXPIRED,               false",
            "abandoned,              -,   VERIFICATION_ABANDONED, ABANDONED,             false",
            "something_new,          -,   UNKNOWN,                UNKNOWN,               false"})
    void decisionStatuses(String status, String reasonCode, String type, String canonical, boolean isFinal) throws Exception {
        String session = "session-" + status;
        String code = "-".equals(reasonCode) ? "null" : reasonCode;
        byte[] body = ("{\"status\":\"success\",\"verification\":{\"id\":\"" + session + "\",\"status\":\"" + status
                + "\",\"reason\":\"A sentence explaining it\",\"reasonCode\":" + code
                + ",\"vendorData\":\"user-9\",\"decisionTime\":\"2024-05-01T10:00:00.000Z\"},\"technicalData\":{\"ip\":\"203.0.113.9\"}}")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(body);
        assertThat(event.get("verificationId").asText()).isEqualTo(session);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").asText()).isEqualTo(canonical);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("vendorEventType").asText()).isEqualTo(status);
        assertThat(event.get("reasons").size()).isEqualTo("-".equals(reasonCode) ? 0 : 1);
        if (!"-".equals(reasonCode)) {
            assertThat(event.get("reasons").get(0).get("code").asText()).isEqualTo(reasonCode);
        }
        assertThat(event.toString()).doesNotContain("A sentence", "203.0.113.9");
    }

    @Test
    void startedEventWebhook() throws Exception {
        byte[] body = new String(VendorExamples.body("veriff", "event-submitted"), StandardCharsets.UTF_8)
                .replace("\"submitted\"", "\"started\"").replace("7002", "7001").getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(body);
        assertThat(event.get("type").asText()).isEqualTo("VERIFICATION_STARTED");
        assertThat(event.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(event.get("verificationId").asText()).isEqualTo("f04bdb47-d3be-4b28-b028-a652feb060b5");
    }

    @Test
    void wrongSignatureIs401AndNothingIsStored() throws Exception {
        byte[] body = VendorExamples.body("veriff", "event-submitted");
        Map<String, String> headers = Signer.json();
        headers.put("X-HMAC-SIGNATURE", Signer.hmacHex("HmacSHA256", "not-the-secret", body));
        long before = router.count("select count(*) from inbox where vendor = 'veriff'");
        HttpResponse<String> response = router.post("/webhooks/veriff", body, headers);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(router.post("/webhooks/veriff", body, Signer.json()).statusCode()).as("no signature").isEqualTo(401);
        assertThat(router.count("select count(*) from inbox where vendor = 'veriff'")).isEqualTo(before);
    }
}
