package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Argos Identity: its guide documents the fields of each trigger but gives no example bodies, so the fixtures
 * are one body per trigger built from those field lists (with the personal fields Argos sends filled in).
 */
class ArgosWebhooksTest {

    static final String API_KEY = "argos-test-api-key";
    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("argos"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "submit,    ARG-SUB-0001, VERIFICATION_SUBMITTED, PENDING_REVIEW, false, 2024-06-01T10:15:30Z, -",
            "approved,  ARG-SUB-0001, VERIFICATION_COMPLETED, APPROVED,       true,  2024-06-01T10:20:00Z, -",
            "rejected,  ARG-SUB-0002, VERIFICATION_COMPLETED, REJECTED,       true,  2024-06-02T08:00:00Z, ID_BLURRY",
            "updated,   ARG-SUB-0001, VERIFICATION_UPDATED,   -,              false, 2024-06-03T09:00:00Z, -",
            "aml,       ARG-SUB-0001, CHECK_UPDATED,          -,              false, 2024-06-01T10:15:30Z, -",
            "delete,    ARG-SUB-0002, VERIFICATION_DELETED,   DELETED,        false, 2024-06-05T12:00:00Z, -",
            "injection, ARG-SUB-0001, CHECK_UPDATED,          -,              false, 2024-06-04T11:00:00Z, -",
    })
    void everyTriggerBecomesItsCanonicalEvent(String trigger, String submission, String type, String status,
                                              boolean isFinal, String occurredAt, String reason) throws Exception {
        byte[] body = example("argos/" + trigger + ".json");
        HttpResponse<String> response = router.post("/webhooks/argos", body, Signer.argos());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("vendorEventType").asText()).isEqualTo(trigger);
        assertThat(event.get("verificationId").asText()).isEqualTo(submission);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").isNull() ? null : event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("occurredAt").asText()).isEqualTo(occurredAt);
        if (reason == null) {
            assertThat(event.get("reasons")).as("reasons of " + trigger).isEmpty();
        } else {
            assertThat(event.get("reasons").get(0).get("code").asText()).isEqualTo(reason);
            // kyc_result.comment is the reviewer's free text: not carried, only the code
            assertThat(event.get("reasons").get(0).get("message").isNull()).isTrue();
        }
        String all = event.toString();
        for (String personal : new String[] {"jane.roe", "john.doe", "Jane Roe", "1991-04-12", "198.51.100", "M12345678",
                "910412", "compliance.officer", "admin@example.com", "GDPR"}) {
            assertThat(all).doesNotContain(personal);
        }
    }

    @Test
    void amlResultBecomesChecks() throws Exception {
        JsonNode event = router.canonicalEventOf(json(router.post("/webhooks/argos", example("argos/aml.json"), Signer.argos()))
                .get("id").asLong());
        assertThat(event.get("checks").toString())
                .isEqualTo("[{\"name\":\"aml\",\"result\":\"Red Flag\",\"score\":null},{\"name\":\"aml_risk_level\",\"result\":\"HIGH\",\"score\":null}]");
        assertThat(event.get("externalUserId").asText()).isEqualTo("client-user-42");
    }

    @ParameterizedTest
    @CsvSource({"created, VERIFICATION_CREATED", "retry, VERIFICATION_RESUBMITTED", "aml_monitor, CHECK_UPDATED", "brand_new, UNKNOWN"})
    void otherTriggersAreMappedOrKeptAsUnknown(String trigger, String type) throws Exception {
        byte[] body = ("{\"webhook_trigger\":\"" + trigger + "\",\"submission_id\":\"ARG-X-" + trigger
                + "\",\"created_at\":\"2024-06-01 10:00:00\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/argos", body, Signer.argos());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(router.canonicalEventOf(json(response).get("id").asLong()).get("type").asText()).isEqualTo(type);
    }

    @Test
    void tokenMayComeAsQueryParameterOrPathSegment() throws Exception {
        byte[] body = ("{\"webhook_trigger\":\"submit\",\"submission_id\":\"ARG-Q\",\"created_at\":\"2024-06-01 10:00:00\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(router.post("/webhooks/argos?token=" + RunningRouter.ARGOS_TOKEN, body, Signer.json()).statusCode()).isEqualTo(200);
        byte[] other = ("{\"webhook_trigger\":\"submit\",\"submission_id\":\"ARG-P\",\"created_at\":\"2024-06-01 10:00:00\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(router.post("/webhooks/argos/" + RunningRouter.ARGOS_TOKEN, other, Signer.json()).statusCode()).isEqualTo(200);
        assertThat(router.post("/webhooks/argos/wrong-token", other, Signer.json()).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongOrMissingTokenIsRefused() throws Exception {
        byte[] body = example("argos/approved.json");
        long before = router.count("select count(*) from inbox");
        Map<String, String> wrong = Signer.json();
        wrong.put("X-Webhook-Token", "not-the-token");
        HttpResponse<String> refused = router.post("/webhooks/argos", body, wrong);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(router.post("/webhooks/argos", body, Signer.json()).statusCode()).isEqualTo(401);
        assertThat(router.post("/webhooks/argos?token=", body, Signer.json()).statusCode()).isEqualTo(401);
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
        assertThat(refused.body()).doesNotContain("jane").doesNotContain("not-the-token");
    }

    @Test
    void duplicateStoredOnceAndALateSubmitDoesNotUndoTheApproval() throws Exception {
        byte[] approved = ("{\"webhook_trigger\":\"approved\",\"submission_id\":\"ARG-ORDER\",\"created_at\":\"2024-07-01 09:00:00\","
                + "\"kyc_result\":{\"status\":\"approved\",\"updated_at\":\"2024-07-01 09:05:00\"}}").getBytes(StandardCharsets.UTF_8);
        byte[] submit = ("{\"webhook_trigger\":\"submit\",\"submission_id\":\"ARG-ORDER\",\"created_at\":\"2024-07-01 09:00:00\"}")
                .getBytes(StandardCharsets.UTF_8);
        long id = json(router.post("/webhooks/argos", approved, Signer.argos())).get("id").asLong();
        assertThat(json(router.post("/webhooks/argos", approved, Signer.argos())).get("duplicate").asBoolean()).isTrue();
        router.canonicalEventOf(id);
        router.canonicalEventOf(json(router.post("/webhooks/argos", submit, Signer.argos())).get("id").asLong());
        JsonNode state = json(router.get("/api/verifications/argos/ARG-ORDER"));
        assertThat(state.get("status").asText()).isEqualTo("APPROVED");
        assertThat(state.get("eventCount").asLong()).isEqualTo(2);
    }

    static byte[] encryptEcb(byte[] plaintext, String apiKey) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256(apiKey), "AES"));
        return ("{\"data\":\"" + Base64.getEncoder().encodeToString(cipher.doFinal(plaintext)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encryptGcm(byte[] plaintext, String apiKey) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sha256(apiKey), "AES"), new GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] all = new byte[iv.length + sealed.length];
        System.arraycopy(iv, 0, all, 0, iv.length);
        System.arraycopy(sealed, 0, all, iv.length, sealed.length);
        return ("{\"data\":\"" + Base64.getEncoder().encodeToString(all) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encryptedDeliveriesAreDecryptedWithEcb() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("argos-ecb"));
        settings.put("kyc.vendor.argos.decrypt.mode", "ecb");
        settings.put("kyc.vendor.argos.decrypt.api-key", API_KEY);
        try (RunningRouter encrypted = RunningRouter.start(settings)) {
            byte[] plaintext = example("argos/approved.json");
            HttpResponse<String> ok = encrypted.post("/webhooks/argos", encryptEcb(plaintext, API_KEY), Signer.argos());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode event = encrypted.canonicalEventOf(json(ok).get("id").asLong());
            assertThat(event.get("status").asText()).isEqualTo("APPROVED");
            // the inbox keeps the decrypted delivery, so it can be processed again without the key
            assertThat((String) encrypted.rows("select body from inbox where id = ?", event.get("inboxId").asLong()).get(0).get("body"))
                    .isEqualTo(new String(plaintext, StandardCharsets.UTF_8));

            long before = encrypted.count("select count(*) from inbox");
            assertThat(encrypted.post("/webhooks/argos", encryptEcb(plaintext, "another-key"), Signer.argos()).statusCode()).isEqualTo(401);
            assertThat(encrypted.post("/webhooks/argos", encryptEcb("not json".getBytes(StandardCharsets.UTF_8), API_KEY), Signer.argos())
                    .statusCode()).isEqualTo(401);
            assertThat(encrypted.post("/webhooks/argos", "{\"data\":\"%%%\"}".getBytes(StandardCharsets.UTF_8), Signer.argos())
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> plain = encrypted.post("/webhooks/argos", plaintext, Signer.argos());
            assertThat(plain.statusCode()).isEqualTo(401);
            assertThat(json(plain).get("message").asText()).contains("encrypted");
            assertThat(encrypted.count("select count(*) from inbox")).isEqualTo(before);
        }
    }

    @Test
    void encryptedDeliveriesAreDecryptedWithGcm() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("argos-gcm"));
        settings.put("kyc.vendor.argos.decrypt.mode", "gcm");
        settings.put("kyc.vendor.argos.decrypt.api-key", API_KEY);
        try (RunningRouter encrypted = RunningRouter.start(settings)) {
            byte[] plaintext = example("argos/rejected.json");
            HttpResponse<String> ok = encrypted.post("/webhooks/argos", encryptGcm(plaintext, API_KEY), Signer.argos());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(encrypted.canonicalEventOf(json(ok).get("id").asLong()).get("status").asText()).isEqualTo("REJECTED");
            byte[] tampered = encryptGcm(plaintext, API_KEY);
            tampered[20] = (byte) (tampered[20] == 'A' ? 'B' : 'A');
            assertThat(encrypted.post("/webhooks/argos", tampered, Signer.argos()).statusCode()).isEqualTo(401);
        }
    }
}
