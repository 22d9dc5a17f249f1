package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.fixture;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every Treezor example of the vendor's webhook documentation (corrected where the page is invalid JSON), signed the way
 * Treezor signs: the fixtures' object_payload_signature values were computed by PHP's own json_encode and
 * hash_hmac with the test secret, so the router's PHP-style re-encoding is checked against PHP itself. Event times
 * come from the signed object_payload (see vendors/treezor/routes.yaml). The documentation's videoConference.created repeats
 * qes.created's payload byte for byte, which would make it the same signed event: its fixture has its own identId.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TreezorWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("treezor"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static Map<String, String> textPlain() {
        return Map.of("Content-Type", "text/plain");
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // fixture,                  verificationId, relatedId,                             type,                   status,         final, occurredAt,                    reasons
            "user.kycrequest,            6461762,   -,                                          VERIFICATION_SUBMITTED, PENDING_REVIEW, false, 2022-05-18T12:21:12Z,        -",
            "user.kycreview,             6461762,   -,                                          VERIFICATION_COMPLETED, APPROVED,       true,  2022-05-18T12:21:12Z,        -",
            "kycreview.request,          1,         -,                                          VERIFICATION_SUBMITTED, PENDING_REVIEW, false, 2015-02-25T11:06:39Z,        -",
            "kycreview.result,           1,         -,                                          VERIFICATION_COMPLETED, APPROVED,       true,  2015-02-25T15:06:39Z,        -",
            "document.create,            1XXXXXX,   8XXXX,                                      CHECK_UPDATED,          -,              false, 2020-05-19T10:34:21Z,        -",
            "document.update,            1XXXXXX,   8XXXX,                                      CHECK_UPDATED,          -,              false, 2020-05-13T18:28:43Z,        -",
            "document.cancel,            0000000,   8XXXX,                                      CHECK_UPDATED,          -,              false, 2020-05-18T20:55:24Z,        -",
            "kycliveness.create,         2440234,   9dac1414-6733-46ae-b5a9-1b3aa39ea4bd,       CHECK_UPDATED,          -,              false, 2020-06-30T07:15:18.856843Z, -",
            "kycliveness.update,         100196123, 9dac1414-6733-46ae-b5a9-1b3aa39ea4xx,       CHECK_UPDATED,          -,              false, 2024-03-08T05:37:26.076003Z, 1312 1320 2401",
            "qes.created,                4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_STARTED,   IN_PROGRESS,    false, -,                           -",
            "qes.processing,             4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_SUBMITTED, PENDING_REVIEW, false, 2024-06-27T07:16:23Z,        -",
            "qes.aborted,                100438239, 3606323f-345e-5105-bfb6-7ca324a69945,       VERIFICATION_ABANDONED, ABANDONED,      false, 2024-06-15T08:58:02Z,        3002",
            "qes.finalized-1,            4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_COMPLETED, APPROVED,       true,  2024-06-27T07:16:23Z,        -",
            "qes.finalized-2,            4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_COMPLETED, REJECTED,       true,  2024-06-27T07:16:23Z,        3201",
            "videoConference.created,    4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_STARTED,   IN_PROGRESS,    false, -,                           -",
            "videoConference.processing, 100764422, bd17f3e1-05fe-5b12-929c-0d4b9b27c4a2,       VERIFICATION_SUBMITTED, PENDING_REVIEW, false, 2024-08-27T13:23:03Z,        -",
            "videoConference.aborted,    4137216,   26dd014c-33f2-56f6-9ebc-bec12caxx2bf,       VERIFICATION_ABANDONED, ABANDONED,      false, 2024-07-31T23:33:00Z,        UNSPECIFIED",
            "videoConference.finalized-1,100689821, 11a08a9a-b05a-5127-b727-b32fa01616bc,       VERIFICATION_COMPLETED, APPROVED,       true,  2024-08-19T08:05:55Z,        -",
            "videoConference.finalized-2,4137216,   b00ecdec-b721-55c4-8e20-ef3625616926,       VERIFICATION_COMPLETED, REJECTED,       true,  2024-06-27T07:16:23Z,        3201",
    })
    void documentedExampleBecomesItsCanonicalEvent(String fixture, String verificationId, String relatedId, String type,
                                                   String status, boolean isFinal, String occurredAt, String reasons) throws Exception {
        byte[] body = example("treezor/" + fixture + ".json");
        HttpResponse<String> response = router.post("/webhooks/treezor", body, textPlain());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("duplicate").asBoolean()).isFalse();
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());

        assertThat(event.get("vendorEventType").asText()).isEqualTo(fixture.replaceAll("-\\d$", ""));
        assertThat(event.get("verificationId").asText()).isEqualTo(verificationId);
        assertThat(event.get("relatedId").isNull() ? null : event.get("relatedId").asText()).isEqualTo(relatedId);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").isNull() ? null : event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        // qes.created and videoConference.created carry no time of their own: the time of receipt stands in
        assertThat(event.get("occurredAt").asText()).isEqualTo(occurredAt != null ? occurredAt : event.get("receivedAt").asText());
        List<String> codes = new ArrayList<>();
        event.get("reasons").forEach(r -> codes.add(r.get("code").asText()));
        assertThat(String.join(" ", codes)).isEqualTo(reasons == null ? "" : reasons);
        String all = event.toString();
        for (String personal : new String[] {"Alex", "Oak", "OAK", "1989-00-00", "a.oak@example.com", "Willow", "Caen",
                "Victoria", "Perin", "MICHELE", "1983-08-12", "BERLIN", "STADT"}) {
            assertThat(all).doesNotContain(personal);
        }
    }

    @Test
    void checksAndReasonMessagesAreMapped() throws Exception {
        byte[] body = example("treezor/kycliveness.update.json");
        JsonNode event = router.canonicalEventOf(json(router.post("/webhooks/treezor", body, textPlain())).get("id").asLong());
        assertThat(event.get("checks").toString()).isEqualTo("[{\"name\":\"liveness\",\"result\":\"processed\",\"score\":0}]");
        // reason-message is a sentence, not a documented catalogue: only the codes reach the event
        assertThat(event.get("reasons").toString()).isEqualTo(
                "[{\"code\":\"1312\",\"message\":null},{\"code\":\"1320\",\"message\":null},{\"code\":\"2401\",\"message\":null}]");

        byte[] doc = example("treezor/document.cancel.json");
        JsonNode docEvent = router.canonicalEventOf(json(router.post("/webhooks/treezor", doc, textPlain())).get("id").asLong());
        assertThat(docEvent.get("checks").toString()).contains("\"name\":\"document\",\"result\":\"CANCELED\"");
    }

    @Test
    void signatureOverSlashesAccentsAndEmojiMatchesPhp() throws Exception {
        byte[] body = example("treezor/kycliveness.update-unicode.json");
        HttpResponse<String> response = router.post("/webhooks/treezor", body, Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("checks").get(0).get("score").asText()).isEqualTo("0.25");
        assertThat(event.toString()).doesNotContain("Zoë").doesNotContain("Müller").doesNotContain("Besançon");
    }

    @Test
    void aSignedPayloadChangedInTransitIsRefused() throws Exception {
        String text = new String(example("treezor/kycreview.result.json"), StandardCharsets.UTF_8);
        byte[] forged = text.replace("\"kycStatus\": \"VALIDATED\"", "\"kycStatus\": \"REFUSED\"").getBytes(StandardCharsets.UTF_8);
        assertThat(forged).isNotEqualTo(text.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = router.post("/webhooks/treezor", forged, textPlain());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void wrongSecretIsRefused() throws Exception {
        String text = new String(example("treezor/qes.created.json"), StandardCharsets.UTF_8);
        byte[] body = text.replaceAll("\"object_payload_signature\": \"[^\"]*\"",
                "\"object_payload_signature\": \"" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        long before = router.count("select count(*) from inbox");
        assertThat(router.post("/webhooks/treezor", body, textPlain()).statusCode()).isEqualTo(401);
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
    }

    @Test
    void missingSignatureIsRefused() throws Exception {
        byte[] body = "{\"webhook\":\"user.kycreview\",\"object_id\":\"1\",\"object_payload\":{\"users\":[]},\"webhook_id\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/treezor", body, textPlain());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("object_payload_signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {"document.create", "document.update", "document.cancel", "kycliveness.create"})
    void theDocumentationsInvalidJsonIsA400SayingWhere(String name) throws Exception {
        byte[] body = fixture("treezor/uncorrected/" + name + ".txt");
        HttpResponse<String> response = router.post("/webhooks/treezor", body, textPlain());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("malformed_json");
        assertThat(json(response).get("message").asText()).matches("malformed JSON at line \\d+, column \\d+: .*");
    }

    @Test
    void duplicateIsStoredOnceAndDistinctEventsSharingAWebhookIdAreNot() throws Exception {
        byte[] body = example("treezor/qes.finalized-1.json");
        long first = json(router.post("/webhooks/treezor", body, textPlain())).get("id").asLong();
        HttpResponse<String> again = router.post("/webhooks/treezor", body, textPlain());
        assertThat(json(again).get("duplicate").asBoolean()).isTrue();
        assertThat(json(again).get("id").asLong()).isEqualTo(first);
        // qes.finalized-1 and -2 share webhook_id and webhook_created_at but are different (signed) results
        router.post("/webhooks/treezor", example("treezor/qes.finalized-2.json"), textPlain());
        await("both qes.finalized events, and only those").atMost(RunningRouter.WAIT)
                .until(() -> router.count("select count(*) from canonical_event where vendor = 'treezor' and vendor_event_type = 'qes.finalized'") == 2);
        assertThat(router.count("select count(*) from canonical_event where vendor = 'treezor' and vendor_event_type = 'qes.finalized'"))
                .isEqualTo(2);
    }

    @Test
    void aLaterEventArrivingFirstLeavesTheLaterState() throws Exception {
        // the user's review (VALIDATED) is delivered before the earlier request (PENDING) of the same user; both
        // are fresh deliveries of a user no other test sends, so the router maps each of them here
        String user = "7000001";
        HttpResponse<String> review = router.post("/webhooks/treezor",
                userEvent("user.kycreview", user, "2022-05-18 12:21:12"), textPlain());
        HttpResponse<String> request = router.post("/webhooks/treezor",
                userEvent("user.kycrequest", user, "2022-05-18 12:21:08"), textPlain());
        for (HttpResponse<String> response : List.of(review, request)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("duplicate").asBoolean()).as(response.body()).isFalse();
        }
        await("both events of user " + user).atMost(RunningRouter.WAIT)
                .until(() -> router.count("select count(*) from canonical_event where vendor = 'treezor' and verification_id = ?", user) == 2);
        JsonNode state = json(router.get("/api/verifications/treezor/" + user));
        assertThat(state.get("status").asText()).isEqualTo("APPROVED");
    }

    /** A fixture's user event for another user, modified at {@code modifiedDate}, with its own webhook id, signed. */
    private static byte[] userEvent(String fixture, String userId, String modifiedDate) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode doc =
                (com.fasterxml.jackson.databind.node.ObjectNode) RunningRouter.JSON.readTree(example("treezor/" + fixture + ".json"));
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("webhook");
        String webhookId = java.util.UUID.randomUUID().toString();
        doc.put("webhookId", webhookId);
        event.put("webhook_id", webhookId);
        event.put("object_id", userId);
        com.fasterxml.jackson.databind.node.ObjectNode user =
                (com.fasterxml.jackson.databind.node.ObjectNode) event.get("object_payload").get("users").get(0);
        user.put("userId", userId);
        user.put("modifiedDate", modifiedDate);
        return HostileInputTest.treezorSign(RunningRouter.JSON.writeValueAsBytes(doc));
    }
}
