package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every Sumsub example of the vendor's webhook documentation, posted over HTTP with a valid X-Payload-Digest. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SumsubWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("sumsub"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // fixture,                    verificationId,            relatedId,                type,                   status,                final, reasons
            "applicantCreated,             5c9e177b0a975a6eeccf5960,  -,                        VERIFICATION_CREATED,   NOT_STARTED,           false, -",
            "applicantPending,             5c7791f80a975a1df426b9e9,  -,                        VERIFICATION_SUBMITTED, PENDING_REVIEW,        false, -",
            "applicantReviewed-1,          5cb744200a975a67ed1798a4,  -,                        VERIFICATION_COMPLETED, REJECTED,              true,  UNSATISFACTORY_PHOTOS GRAPHIC_EDITOR FORGERY",
            "applicantReviewed-2,          5cb56e8e0a975a35f333cb83,  -,                        VERIFICATION_COMPLETED, APPROVED,              true,  -",
            "applicantOnHold,              5c7791f80a975a1df426b9e9,  -,                        VERIFICATION_ON_HOLD,   ON_HOLD,               false, -",
            "applicantActionPending,       5dc2d80ce3cc9b1c1e389c4c,  5dc158b109494c3cbf431e28, VERIFICATION_SUBMITTED, PENDING_REVIEW,        false, -",
            "applicantActionReviewed,      5dc2d80ce3cc9b1c1e389c4c,  5dc158b109494c3cbf431e28, VERIFICATION_COMPLETED, APPROVED,              true,  -",
            "applicantActionOnHold,        5ea867c2772e27d66728c64f,  5ea867a9772e27d66728c64b, VERIFICATION_ON_HOLD,   ON_HOLD,               false, -",
            "applicantPersonalInfoChanged, 5ede51230a975a19a19ba5c1,  -,                        VERIFICATION_UPDATED,   -,                     false, -",
            "applicantTagsChanged,         5ede51230a975a19a19ba5c1,  -,                        VERIFICATION_UPDATED,   -,                     false, -",
            "applicantActivated,           5f194e74040c3f316bda271c,  -,                        VERIFICATION_UPDATED,   -,                     false, -",
            "applicantDeactivated,         5f194e74040c3f316bda271c,  -,                        VERIFICATION_UPDATED,   -,                     false, -",
            "applicantDeleted,             5f194e74040c3f316bda271c,  -,                        VERIFICATION_DELETED,   DELETED,               false, -",
            "applicantReset,               5f194e74040c3f316bda271c,  -,                        VERIFICATION_RESET,     NOT_STARTED,           false, -",
            "applicantPrechecked,          5d1f2914c2d75a1c14130bd2,  -,                        VERIFICATION_SUBMITTED, PENDING_REVIEW,        false, -",
            "applicantLevelChanged,        5f194e74040c3f316bda271c,  -,                        VERIFICATION_UPDATED,   -,                     false, -",
            "applicantWorkflowCompleted,   64106d6b7d5a2d5159e6b01a,  -,                        VERIFICATION_COMPLETED, REJECTED,              true,  AGE_REQUIREMENT_MISMATCH",
            "videoIdentStatusChanged-1,    5f8993f93324610009e5885e,  -,                        CHECK_UPDATED,          -,                     false, -",
            "videoIdentStatusChanged-2,    596928690a975a137c5b207e,  -,                        CHECK_UPDATED,          -,                     false, -",
    })
    void documentedExampleBecomesItsCanonicalEvent(String fixture, String verificationId, String relatedId, String type,
                                                   String status, boolean isFinal, String reasons) throws Exception {
        byte[] body = example("sumsub/" + fixture + ".json");
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("status").asText()).isEqualTo("accepted");
        assertThat(answer.get("duplicate").asBoolean()).isFalse();
        long inboxId = answer.get("id").asLong();
        assertThat(router.count("select count(*) from inbox where id = ? and vendor = 'sumsub'", inboxId)).isEqualTo(1);
        assertThat(router.rows("select body from inbox where id = ?", inboxId).get(0).get("body"))
                .isEqualTo(new String(body, StandardCharsets.UTF_8));

        JsonNode event = router.canonicalEventOf(inboxId);
        JsonNode payload = RunningRouter.JSON.readTree(body);
        assertThat(event.get("vendor").asText()).isEqualTo("sumsub");
        assertThat(event.get("vendorEventType").asText()).isEqualTo(payload.get("type").asText());
        assertThat(event.get("verificationId").asText()).isEqualTo(verificationId);
        assertThat(event.get("relatedId").isNull() ? null : event.get("relatedId").asText()).isEqualTo(relatedId);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").isNull() ? null : event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("sandbox").asBoolean()).isFalse();
        assertThat(event.get("inboxId").asLong()).isEqualTo(inboxId);
        List<String> codes = new ArrayList<>();
        event.get("reasons").forEach(r -> codes.add(r.get("code").asText()));
        assertThat(String.join(" ", codes)).isEqualTo(reasons == null ? "" : reasons);
        // every fixture but one names the client's user; that one must not get a user from anywhere else
        assertThat(event.path("externalUserId").isNull() ? null : event.path("externalUserId").asText(null))
                .isEqualTo(payload.path("externalUserId").asText(null));
        // createdAtMs is UTC: "2020-02-21 13:23:19.001" is 2020-02-21T13:23:19.001Z
        String createdAtMs = payload.get("createdAtMs").asText();
        assertThat(event.get("occurredAt").asText()).isEqualTo(createdAtMs.replace(' ', 'T') + "Z");
        assertThat(router.count("select count(*) from canonical_event where inbox_id = ? and verification_id = ? and type = ?",
                inboxId, verificationId, type)).isEqualTo(1);
    }

    @Test
    void videoIdentStatusBecomesACheck() throws Exception {
        // a fresh delivery of its own (another correlationId), not a duplicate of the documented example's
        byte[] body = new String(example("sumsub/videoIdentStatusChanged-1.json"), StandardCharsets.UTF_8)
                .replace("req-5a570d5d-e27c-484b-94a9-0f1e9fb2764c", "req-video-check").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("duplicate").asBoolean()).isFalse();
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("checks").get(0).get("name").asText()).isEqualTo("videoIdent");
        assertThat(event.get("checks").get(0).get("result").asText()).isEqualTo("pending");
    }

    @ParameterizedTest
    @CsvSource({"HMAC_SHA1_HEX, HmacSHA1", "HMAC_SHA256_HEX, HmacSHA256", "HMAC_SHA512_HEX, HmacSHA512"})
    void everyDigestAlgorithmSumsubNamesIsAccepted(String name, String javaAlgorithm) throws Exception {
        String text = new String(example("sumsub/applicantCreated.json"), StandardCharsets.UTF_8)
                .replace("req-63f92830", "req-" + name);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body, name, javaAlgorithm));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void unknownDigestAlgorithmIsRefused() throws Exception {
        byte[] body = example("sumsub/applicantCreated.json");
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body, "HMAC_MD5_HEX", "HmacSHA256"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("X-Payload-Digest-Alg");
    }

    @Test
    void sandboxModeIsReadFromAStringOrABoolean() throws Exception {
        for (String sandbox : new String[] {"\"true\"", "true"}) {
            String text = "{\"applicantId\":\"sandbox-" + sandbox.length() + "\",\"correlationId\":\"req-sb\","
                    + "\"type\":\"applicantCreated\",\"sandboxMode\":" + sandbox + ",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(router.canonicalEventOf(json(response).get("id").asLong()).get("sandbox").asBoolean()).isTrue();
        }
    }

    @Test
    void unknownTypeIsKeptAsUnknownNotDropped() throws Exception {
        String text = "{\"applicantId\":\"unknown-1\",\"correlationId\":\"req-u\",\"type\":\"applicantSomethingNew\","
                + "\"createdAtMs\":\"2024-01-01 00:00:00.000\"}";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("type").asText()).isEqualTo("UNKNOWN");
        assertThat(event.get("status").asText()).isEqualTo("UNKNOWN");
        assertThat(event.get("vendorEventType").asText()).isEqualTo("applicantSomethingNew");
    }

    @Test
    void eventsSharingACorrelationIdStayDistinct() throws Exception {
        // applicantActivated, applicantDeactivated and applicantDeleted share correlationId and createdAtMs
        // (with a correlationId of their own, so that these three are new here whatever ran before)
        for (String name : new String[] {"applicantActivated", "applicantDeactivated", "applicantDeleted"}) {
            byte[] body = new String(example("sumsub/" + name + ".json"), StandardCharsets.UTF_8)
                    .replace("req-d34c974c-5935-41b8-a0a9-cedd2407eada", "req-shared-correlation").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(200);
            assertThat(json(response).get("duplicate").asBoolean()).as(name).isFalse();
        }
        assertThat(router.count("select count(*) from inbox where vendor = 'sumsub' and event_key like '%req-shared-correlation%'"))
                .isEqualTo(3);
    }
}
