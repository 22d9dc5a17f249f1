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

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.kycrouter.support.RunningRouter.PERSONA_SECRET;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persona's webhooks over HTTP, signed with {@code Persona-Signature: t=<unix time>,v1=<HMAC of "t.body">}: one set,
 * two sets while the secret rotates, a stale time, a missing or malformed header.
 */
class PersonaWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("persona"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** An inquiry event of its own id, so each test's delivery is new whatever ran before. */
    private static byte[] inquiryEvent(String eventId, String name) {
        return ("{\"data\":{\"type\":\"event\",\"id\":\"" + eventId + "\",\"attributes\":{\"name\":\"" + name + "\","
                + "\"created-at\":\"2024-03-16T10:00:00.000Z\",\"payload\":{\"data\":{\"type\":\"inquiry\",\"id\":\"inq_" + eventId
                + "\",\"attributes\":{\"status\":\"x\",\"reference-id\":\"user-" + eventId + "\",\"name-first\":\"Jane\","
                + "\"name-last\":\"Doe\",\"birthdate\":\"1990-01-31\",\"address-street-1\":\"1 Main Street\","
                + "\"identification-number\":\"X1234567\",\"ip-address\":\"203.0.113.7\"}}}}}}").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(byte[] body, String signature) throws Exception {
        return router.post("/webhooks/persona", body, Signer.persona(signature));
    }

    private static JsonNode accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long inboxId = json(response).get("id").asLong();
        assertThat(router.count("select count(*) from inbox where id = ? and vendor = 'persona'", inboxId)).isEqualTo(1);
        return router.canonicalEventOf(inboxId);
    }

    private static void refused(HttpResponse<String> response, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).get("message").asText()).contains(messagePart);
    }

    @Test
    void documentedExampleBecomesItsExpectedEvent() throws Exception {
        byte[] body = VendorExamples.body("persona", "inquiry-approved");
        JsonNode event = accepted(router.post("/webhooks/persona", body, Signer.persona(body)));
        VendorExamples.assertProduces("persona", "inquiry-approved", event);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "inquiry.created,           VERIFICATION_CREATED,   NOT_STARTED",
            "inquiry.started,           VERIFICATION_STARTED,   IN_PROGRESS",
            "inquiry.completed,         VERIFICATION_SUBMITTED, PENDING_REVIEW",
            "inquiry.failed,            VERIFICATION_SUBMITTED, PENDING_REVIEW",
            "inquiry.marked-for-review, VERIFICATION_ON_HOLD,   PENDING_REVIEW",
            "inquiry.approved,          VERIFICATION_COMPLETED, APPROVED",
            "inquiry.declined,          VERIFICATION_COMPLETED, REJECTED",
            "inquiry.expired,           VERIFICATION_EXPIRED,   EXPIRED",
            "inquiry.redacted,          VERIFICATION_DELETED,   DELETED",
            "inquiry.transitioned,      VERIFICATION_UPDATED,   -",
            "inquiry.something-new,     UNKNOWN,                UNKNOWN"})
    void inquiryEvents(String name, String type, String status) throws Exception {
        String eventId = "evt_" + name.replaceAll("[^a-z]", "");
        byte[] body = inquiryEvent(eventId, name);
        JsonNode event = accepted(router.post("/webhooks/persona", body, Signer.persona(body)));
        assertThat(event.get("vendorEventType").asText()).isEqualTo(name);
        assertThat(event.get("verificationId").asText()).isEqualTo("inq_" + eventId);
        assertThat(event.get("externalUserId").asText()).isEqualTo("user-" + eventId);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").isNull() ? null : event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo("APPROVED".equals(status) || "REJECTED".equals(status));
        assertThat(event.get("occurredAt").asText()).isEqualTo("2024-03-16T10:00:00Z");
        assertThat(event.toString()).doesNotContain("Jane", "Doe", "1990-01-31", "Main Street", "X1234567", "203.0.113.7");
    }

    @Test
    void aVerificationEventIsACheckOfItsInquiry() throws Exception {
        byte[] body = ("{\"data\":{\"type\":\"event\",\"id\":\"evt_verification_passed\",\"attributes\":{\"name\":\"verification.passed\","
                + "\"created-at\":\"2024-02-16T15:12:47.732Z\",\"payload\":{\"data\":{\"type\":\"verification/government-id\","
                + "\"id\":\"ver_ABC123\",\"attributes\":{\"status\":\"passed\",\"name-first\":\"Jane\",\"birthdate\":\"1990-01-31\","
                + "\"identification-number\":\"X1234567\"},\"relationships\":{\"inquiry\":{\"data\":{\"type\":\"inquiry\","
                + "\"id\":\"inq_OF_VERIFICATION\"}}}}}}}}").getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(router.post("/webhooks/persona", body, Signer.persona(body)));
        assertThat(event.get("verificationId").asText()).isEqualTo("inq_OF_VERIFICATION");
        assertThat(event.get("relatedId").asText()).isEqualTo("ver_ABC123");
        assertThat(event.get("type").asText()).isEqualTo("CHECK_UPDATED");
        assertThat(event.get("checks").get(0).get("name").asText()).isEqualTo("verification");
        assertThat(event.get("checks").get(0).get("result").asText()).isEqualTo("passed");
        assertThat(event.get("occurredAt").asText()).isEqualTo("2024-02-16T15:12:47.732Z");
        assertThat(event.toString()).doesNotContain("Jane", "1990-01-31", "X1234567");
    }

    @Test
    void rotationTwoSetsEitherValid() throws Exception {
        long t = now();
        byte[] first = inquiryEvent("evt_rotation_first", "inquiry.started");
        accepted(post(first, Signer.personaSet(first, t, PERSONA_SECRET) + " " + Signer.personaSet(first, t, "wbhsec_old_secret")));
        byte[] second = inquiryEvent("evt_rotation_second", "inquiry.started");
        accepted(post(second, Signer.personaSet(second, t, "wbhsec_new_secret") + " " + Signer.personaSet(second, t, PERSONA_SECRET)));
        byte[] neither = inquiryEvent("evt_rotation_neither", "inquiry.started");
        refused(post(neither, Signer.personaSet(neither, t, "wbhsec_a") + " " + Signer.personaSet(neither, t, "wbhsec_b")),
                "signature mismatch");
    }

    @Test
    void staleTimestampIs401() throws Exception {
        byte[] body = inquiryEvent("evt_stale", "inquiry.started");
        long old = now() - 3600;
        refused(post(body, Signer.personaSet(body, old, PERSONA_SECRET)), "stale timestamp");
        long future = now() + 3600;
        refused(post(body, Signer.personaSet(body, future, PERSONA_SECRET)), "stale timestamp");
        assertThat(router.count("select count(*) from inbox where vendor = 'persona' and event_key like '%evt_stale%'")).isZero();
    }

    @Test
    void missingHeaderIs401() throws Exception {
        byte[] body = inquiryEvent("evt_missing", "inquiry.started");
        HttpResponse<String> response = router.post("/webhooks/persona", body, Signer.json());
        refused(response, "Persona-Signature");
    }

    @Test
    void missingPartOrMalformedHeaderIs401() throws Exception {
        byte[] body = inquiryEvent("evt_malformed", "inquiry.started");
        String valid = Signer.personaSet(body, now(), PERSONA_SECRET);
        refused(post(body, valid.substring(valid.indexOf(',') + 1)), "lacks its 't' part");
        refused(post(body, valid.substring(0, valid.indexOf(','))), "lacks its 'v1' part");
        refused(post(body, "nonsense"), "malformed Persona-Signature");
        refused(post(body, valid.replace("v1=", "v1")), "malformed Persona-Signature");
        // a signature over the body alone (no "t." before it) is not Persona's
        refused(post(body, "t=" + now() + ",v1=" + Signer.hmacHex("HmacSHA256", PERSONA_SECRET, body)), "signature mismatch");
        assertThat(router.count("select count(*) from inbox where vendor = 'persona' and event_key like '%evt_malformed%'")).isZero();
    }
}
