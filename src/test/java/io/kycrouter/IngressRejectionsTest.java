package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every way a delivery is refused: the right status, a JSON body saying why, and nothing stored. */
class IngressRejectionsTest {

    static RunningRouter router;
    long inboxBefore;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("rejections"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @BeforeEach
    void countInbox() throws Exception {
        inboxBefore = router.count("select count(*) from inbox");
    }

    @AfterEach
    void nothingStored() throws Exception {
        assertThat(router.count("select count(*) from inbox")).as("inbox rows").isEqualTo(inboxBefore);
        assertThat(router.count("select count(*) from canonical_event")).as("canonical events").isZero();
    }

    private static JsonNode rejected(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("rejected");
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    @Test
    void badSignature() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        Map<String, String> headers = Signer.sumsub(body);
        headers.put("X-Payload-Digest", Signer.hmacHex("HmacSHA256", "not-the-secret", body));
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, headers), 401, "unauthorized");
        assertThat(answer.get("message").asText()).contains("signature mismatch");
    }

    @Test
    void signatureOfAnotherBody() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("pending", "completed").getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", tampered, Signer.sumsub(body)), 401, "unauthorized");
    }

    @Test
    void missingSignatureHeader() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, Map.of("Content-Type", "application/json")),
                401, "unauthorized");
        assertThat(answer.get("message").asText()).contains("X-Payload-Digest");
    }

    @Test
    void signatureIsNotHex() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        Map<String, String> headers = Signer.sumsub(body);
        headers.put("X-Payload-Digest", "zz-not-hex");
        rejected(router.post("/webhooks/sumsub", body, headers), 401, "unauthorized");
    }

    @Test
    void signatureInAQueryParameterDoesNotCount() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        String sig = Signer.hmacHex("HmacSHA256", RunningRouter.SUMSUB_SECRET, body);
        rejected(router.post("/webhooks/sumsub?X-Payload-Digest=" + sig, body, Map.of("Content-Type", "application/json")),
                401, "unauthorized");
    }

    @Test
    void malformedJsonSaysWhereParsingFailed() throws Exception {
        byte[] body = "{\n  \"type\": \"applicantCreated\",\n  // a comment\n  \"applicantId\": \"x\"\n}".getBytes(StandardCharsets.UTF_8);
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
        assertThat(answer.get("message").asText()).contains("line 3");
    }

    @Test
    void trailingCommaIsMalformed() throws Exception {
        byte[] body = "{\"type\": \"applicantCreated\", \"applicantId\": \"x\",}".getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
    }

    @Test
    void duplicateKeysAreMalformed() throws Exception {
        byte[] body = "{\"type\": \"applicantCreated\", \"type\": \"applicantReviewed\"}".getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
    }

    @Test
    void aJsonArrayIsNotADelivery() throws Exception {
        byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
        assertThat(answer.get("message").asText()).contains("UTF-8");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        byte[] body = ("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "malformed_json");
    }

    @Test
    void missingKeyFields() throws Exception {
        byte[] body = "{\"type\":\"applicantCreated\",\"applicantId\":\"a1\",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "missing_field");
        assertThat(answer.get("message").asText()).contains("$.correlationId");
    }

    @Test
    void keyFieldOfTheWrongType() throws Exception {
        byte[] body = "{\"type\":{\"x\":1},\"applicantId\":\"a1\",\"correlationId\":\"c\",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}"
                .getBytes(StandardCharsets.UTF_8);
        rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 400, "invalid_field");
    }

    @Test
    void oversizedBody() throws Exception {
        byte[] body = new byte[1_048_577];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        JsonNode answer = rejected(router.post("/webhooks/sumsub", body, Signer.sumsub(body)), 413, "payload_too_large");
        assertThat(answer.get("message").asText()).contains("1048576");
    }

    @Test
    void bodyOverTheServerCapIsAJson413Too() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        rejected(router.post("/webhooks/sumsub", body, Map.of("Content-Type", "application/json")), 413, "payload_too_large");
    }

    @Test
    void wrongContentType() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        Map<String, String> headers = Signer.sumsub(body);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        rejected(router.post("/webhooks/sumsub", body, headers), 415, "unsupported_media_type");
    }

    @Test
    void nonUtf8Charset() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        Map<String, String> headers = Signer.sumsub(body);
        headers.put("Content-Type", "application/json; charset=ISO-8859-1");
        rejected(router.post("/webhooks/sumsub", body, headers), 415, "unsupported_media_type");
    }

    @Test
    void unknownVendor() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        rejected(router.post("/webhooks/acme", body, Signer.sumsub(body)), 404, "unknown_vendor");
    }

    @Test
    void wrongMethod() throws Exception {
        HttpResponse<String> response = router.request("GET", "/webhooks/sumsub", null);
        rejected(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        rejected(router.request("PUT", "/webhooks/sumsub", null), 405, "method_not_allowed");
    }

    @Test
    void answersNeverEchoRequestHeaders() throws Exception {
        byte[] body = example("sumsub/applicantPending.json");
        Map<String, String> headers = new LinkedHashMap<>(Signer.sumsub(body));
        headers.put("X-Payload-Digest", "00" + headers.get("X-Payload-Digest"));
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, headers);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-payload"));
    }

    @Test
    void vendorWithoutCredentialRefusesEverything() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("no-secret"));
        settings.remove("kyc.vendor.sumsub.auth.digest.secrets");
        try (RunningRouter open = RunningRouter.start(settings)) {
            byte[] body = example("sumsub/applicantPending.json");
            JsonNode answer = rejected(open.post("/webhooks/sumsub", body, Signer.sumsub(body)), 401, "unauthorized");
            assertThat(answer.get("message").asText()).contains("no credential");
            assertThat(open.count("select count(*) from inbox")).isZero();
        }
    }

    @Test
    void devSwitchAcceptsUnauthenticatedDeliveriesOfVendorsWithoutCredential() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("dev-open"));
        settings.remove("kyc.vendor.sumsub.auth.digest.secrets");
        settings.put("kyc.security.dev-accept-unauthenticated", "true");
        try (RunningRouter open = RunningRouter.start(settings)) {
            byte[] body = example("sumsub/applicantPending.json");
            HttpResponse<String> response = open.post("/webhooks/sumsub", body, Map.of("Content-Type", "application/json"));
            assertThat(response.statusCode()).isEqualTo(200);
            // a vendor that has a credential still requires it
            byte[] didit = example("didit/approved.json");
            assertThat(open.post("/webhooks/didit", didit, Map.of("Content-Type", "application/json")).statusCode()).isEqualTo(401);
        }
    }
}
