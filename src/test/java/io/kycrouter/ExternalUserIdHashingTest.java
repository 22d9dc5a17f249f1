package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kyc.canonical.external-user-id = hash replaces the client's user reference by a keyed hash (HMAC-SHA256 with a
 * configured pepper): a plain SHA-256 of a short numeric id is reversed by trying every number. A vendor may
 * override the global setting; plain keeps the value, but for e-mail addresses (sha256:<hex>, as before).
 */
class ExternalUserIdHashingTest {

    static final String PEPPER = "pepper-for-tests-0123456789abcdef";

    static String hmac(String value) {
        return "hmac-sha256:" + Signer.hmacHex("HmacSHA256", PEPPER, value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String value) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode post(RunningRouter router, String vendor, byte[] body, Map<String, String> headers) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/" + vendor, body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return router.canonicalEventOf(json(response).get("id").asLong());
    }

    @Test
    void hashedGloballyWithAPlainOverrideForOneVendor() throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("euid-hash"));
        s.put("kyc.canonical.external-user-id", "hash");
        s.put("kyc.canonical.external-user-id-pepper", PEPPER);
        s.put("kyc.vendor.didit.external-user-id", "plain");
        try (RunningRouter router = RunningRouter.start(s)) {
            byte[] sumsub = example("sumsub/applicantCreated.json");
            JsonNode event = post(router, "sumsub", sumsub, Signer.sumsub(sumsub));
            assertThat(event.get("externalUserId").asText()).isEqualTo(hmac("12672"));
            assertThat(json(router.get("/api/verifications/sumsub/" + event.get("verificationId").asText()))
                    .get("externalUserId").asText()).isEqualTo(hmac("12672"));
            assertThat(router.rows("select payload from canonical_event").toString()).doesNotContain("12672");

            // an e-mail address is lower-cased before it is hashed, as in plain mode
            byte[] veratad = new String(example("veratad/journey-1.json"), StandardCharsets.UTF_8)
                    .replace("\"client-ref-5521\"", "\"Client.Ref@Example.org\"").getBytes(StandardCharsets.UTF_8);
            assertThat(new String(veratad, StandardCharsets.UTF_8)).contains("Client.Ref@Example.org");
            assertThat(post(router, "veratad", veratad, Signer.veratadBasic()).get("externalUserId").asText())
                    .isEqualTo(hmac("client.ref@example.org"));

            byte[] declined = example("didit/declined-unicode.json");
            assertThat(post(router, "didit", declined, Signer.diditRaw(declined)).get("externalUserId").asText()).isEqualTo("user-8841");
            byte[] approved = example("didit/approved.json");
            assertThat(post(router, "didit", approved, Signer.diditRaw(approved)).get("externalUserId").asText())
                    .isEqualTo(sha256("ngdatuananh@gmail.com"));
        }
    }

    @Test
    void plainByDefaultAndHashedForTheVendorThatAsks() throws Exception {
        Map<String, String> s = RunningRouter.defaults(RunningRouter.tempDir("euid-vendor"));
        s.put("kyc.vendor.argos.external-user-id", "hash");
        s.put("kyc.canonical.external-user-id-pepper", PEPPER);
        try (RunningRouter router = RunningRouter.start(s)) {
            assertThat(post(router, "argos", example("argos/aml.json"), Signer.argos()).get("externalUserId").asText())
                    .isEqualTo(hmac("client-user-42"));
            byte[] sumsub = example("sumsub/applicantCreated.json");
            assertThat(post(router, "sumsub", sumsub, Signer.sumsub(sumsub)).get("externalUserId").asText()).isEqualTo("12672");
        }
    }

    @Test
    void hashingWithoutAPepperOrAnUnknownModeStopsStartUp() throws Exception {
        Map<String, String> noPepper = RunningRouter.defaults(RunningRouter.tempDir("euid-nopepper"));
        noPepper.put("kyc.vendor.sumsub.external-user-id", "hash");
        assertThat(RunningRouter.startupFailure(noPepper)).contains("kyc.canonical.external-user-id-pepper");

        Map<String, String> shortPepper = RunningRouter.defaults(RunningRouter.tempDir("euid-shortpepper"));
        shortPepper.put("kyc.canonical.external-user-id", "hash");
        shortPepper.put("kyc.canonical.external-user-id-pepper", "short");
        assertThat(RunningRouter.startupFailure(shortPepper)).contains("kyc.canonical.external-user-id-pepper").contains("32");

        Map<String, String> unknown = RunningRouter.defaults(RunningRouter.tempDir("euid-unknown"));
        unknown.put("kyc.canonical.external-user-id", "sha1");
        assertThat(RunningRouter.startupFailure(unknown)).contains("kyc.canonical.external-user-id").contains("plain or hash");
    }
}
