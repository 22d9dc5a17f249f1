package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Treezor and Didit deliveries whose signed JSON holds the numbers a shortcut gets wrong (1e17, -0.0, 5e-324,
 * 1e23, 2.2250738585072014e-308 ...), signed over what the real signers wrote: PHP's json_encode and Didit's
 * json.dumps output for the same payloads, from the corpus in src/test/resources/signers (SignerCorpusTest).
 */
class SignerNumbersTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("signer-numbers"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    /** The line of a corpus file that starts with {@code prefix}. */
    static String line(String file, String prefix) throws IOException {
        try (InputStream in = SignerNumbersTest.class.getResourceAsStream("/signers/" + file)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        throw new IllegalStateException("no line starting " + prefix + " in " + file);
    }

    /** The signer's output for the corpus payload that starts with {@code prefix}. */
    static String signed(String corpus, String prefix) throws IOException {
        String line = line(corpus, prefix);
        return line.substring(line.indexOf('\t') + 1);
    }

    /** Treezor sends json_encode's output as object_payload and its base64 HMAC-SHA256 beside it. */
    static byte[] treezor(String objectPayload, String signedText, String webhookId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RunningRouter.TREEZOR_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(signedText.getBytes(StandardCharsets.UTF_8)));
        return ("{\"webhook\":\"user.kycrequest\",\"object\":\"user\",\"object_id\":\"6461762\",\"webhook_id\":\""
                + webhookId + "\",\"object_payload\":" + objectPayload + ",\"webhook_created_at\":16532945786168,"
                + "\"object_payload_signature\":\"" + signature.replace("/", "\\/") + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void treezorSignatureOverPhpNumbersVerifies() throws Exception {
        String php = signed("php-json.tsv", "{\"users\":");
        assertThat(php).contains("\"score\":1.0e+17", "\"zero\":-0,", "\"tiny\":5.0e-324", "\"k\":1.0e+23");

        HttpResponse<String> response = router.post("/webhooks/treezor", treezor(php, php, "numbers-1"),
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("verificationId").asText()).isEqualTo("6461762");
        assertThat(event.get("type").asText()).isEqualTo("VERIFICATION_SUBMITTED");
    }

    @Test
    void treezorSignatureOverAnotherSpellingIsRefused() throws Exception {
        String php = signed("php-json.tsv", "{\"users\":");
        String jdk17 = php.replace("5.0e-324", "4.9e-324"); // what Double.toString's digits would give

        long inbox = router.count("select count(*) from inbox");

        HttpResponse<String> response = router.post("/webhooks/treezor", treezor(php, jdk17, "numbers-2"),
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(router.count("select count(*) from inbox")).isEqualTo(inbox);
    }

    @Test
    void diditV2SignatureOverPythonNumbersVerifies() throws Exception {
        String prefix = "{\"session_id\":\"5a1e2f3c-0000-4b7a-9c1d-numbers00001\"";
        String body = line("payloads.jsonl", prefix);
        String canonical = signed("python-json.tsv", prefix);
        assertThat(canonical).contains("\"big\":100000000000000000,", "\"tiny\":5e-324", "\"zero\":0}",
                "\"very_big\":99999999999999991611392");

        HttpResponse<String> response = router.post("/webhooks/didit", body.getBytes(StandardCharsets.UTF_8),
                Signer.diditV2(canonical));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("verificationId").asText()).isEqualTo("5a1e2f3c-0000-4b7a-9c1d-numbers00001");
        assertThat(event.get("status").asText()).isEqualTo("APPROVED");
    }
}
