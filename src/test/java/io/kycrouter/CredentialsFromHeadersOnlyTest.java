package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials, signatures and timestamps count only when they come in a request header: a query parameter (or a form
 * field) of the same name never does, on the operator API as on the webhooks. Path values (vendor, verification,
 * delivery id, target name) cannot be replaced from the query string or a header either, and the query parameters the
 * API does take (state, target, limit, since) are still read.
 */
class CredentialsFromHeadersOnlyTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("credentials"));
        // a target nobody listens on: its deliveries stay pending, which is all the listing below needs
        settings.put("kyc.notify.targets", "crm");
        settings.put("kyc.notify.target.crm.type", "http");
        settings.put("kyc.notify.target.crm.url", "http://127.0.0.1:9/unused");
        settings.put("kyc.notify.target.crm.secret", "crm-test-secret-of-24-bytes");
        router = RunningRouter.start(settings);
        byte[] body = "{\"session_id\":\"cred-a\",\"status\":\"Approved\",\"created_at\":1727681752}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> stored = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(stored.statusCode()).isEqualTo(200);
        router.canonicalEventOf(RunningRouter.json(stored).get("id").asLong());
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static String bearerQuery() {
        return "Authorization=" + URLEncoder.encode("Bearer " + RunningRouter.OPERATOR_TOKEN, StandardCharsets.UTF_8);
    }

    static void assertUnauthorized(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(RunningRouter.json(r).get("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void theOperatorTokenInTheQueryStringIsNotACredential() throws Exception {
        assertUnauthorized(router.request("GET", "/api/deliveries?" + bearerQuery(), null));
        assertUnauthorized(router.request("GET", "/api/verifications/didit/cred-a?" + bearerQuery(), null));
        assertUnauthorized(router.request("GET", "/api/verifications/didit/cred-a/events?" + bearerQuery(), null));
        assertUnauthorized(router.request("POST", "/api/deliveries/1/replay?" + bearerQuery(), null));
        assertUnauthorized(router.request("POST", "/api/deliveries/replay?target=crm&" + bearerQuery(), null));
        assertUnauthorized(router.request("POST", "/api/targets/crm/enable?" + bearerQuery(), null));
        // nor in a form body
        assertUnauthorized(router.post("/api/targets/crm/enable", bearerQuery().getBytes(StandardCharsets.US_ASCII),
                Map.of("Content-Type", "application/x-www-form-urlencoded")));
        // a wrong token in the header is not rescued by the right one in the query
        assertUnauthorized(router.request("GET", "/api/deliveries?" + bearerQuery(), "wrong-token"));
        // the header still works
        assertThat(router.get("/api/deliveries").statusCode()).isEqualTo(200);
        assertThat(router.request("POST", "/api/targets/crm/enable", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void pathValuesCannotBeReplacedFromTheQueryStringOrAHeader() throws Exception {
        HttpResponse<String> own = router.get("/api/verifications/didit/cred-a?verificationId=cred-b&vendor=sumsub");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(RunningRouter.json(own).get("verificationId").asText()).isEqualTo("cred-a");
        assertThat(RunningRouter.json(own).get("vendor").asText()).isEqualTo("didit");

        HttpResponse<String> other = router.get("/api/verifications/didit/cred-b?vendor=didit&verificationId=cred-a");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        assertThat(router.get("/api/verifications/sumsub/cred-a?vendor=didit").statusCode()).isEqualTo(404);
        assertThat(router.get("/api/verifications/didit/cred-b/events?verificationId=cred-a").statusCode()).isEqualTo(404);
        HttpResponse<String> events = router.get("/api/verifications/didit/cred-a/events?verificationId=cred-b");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(RunningRouter.json(events).get(0).get("verificationId").asText()).isEqualTo("cred-a");

        // nor from a request header of the same name
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + router.port() + "/api/verifications/didit/cred-b"))
                .header("Authorization", "Bearer " + RunningRouter.OPERATOR_TOKEN)
                .header("verificationId", "cred-a").header("vendor", "didit").GET().build();
        assertThat(java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);

        // the delivery id and the target name come from the path
        HttpResponse<String> target = router.request("POST", "/api/targets/nope/enable?name=crm", RunningRouter.OPERATOR_TOKEN);
        assertThat(target.statusCode()).as(target.body()).isEqualTo(404);
        HttpResponse<String> id = router.request("POST", "/api/deliveries/abc/replay?id=1", RunningRouter.OPERATOR_TOKEN);
        assertThat(id.statusCode()).as(id.body()).isEqualTo(400);

        // and the webhook's vendor too
        byte[] body = "{\"applicantId\":\"cred-v\",\"correlationId\":\"c\",\"type\":\"applicantCreated\",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> sumsub = router.post("/webhooks/sumsub?vendor=didit", body, Signer.sumsub(body));
        assertThat(sumsub.statusCode()).as(sumsub.body()).isEqualTo(200);
        assertThat(router.rows("select vendor from inbox where id = ?", RunningRouter.json(sumsub).get("id").asLong())
                .get(0).get("vendor")).isEqualTo("sumsub");
    }

    @Test
    void theApisQueryParametersAreStillRead() throws Exception {
        HttpResponse<String> badState = router.get("/api/deliveries?state=bogus");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(router.get("/api/deliveries?limit=abc").statusCode()).isEqualTo(400);
        HttpResponse<String> listed = router.get("/api/deliveries?state=pending&target=crm&limit=1");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode deliveries = RunningRouter.json(listed).get("deliveries");
        assertThat(deliveries.size()).isEqualTo(1);
        assertThat(deliveries.get(0).get("target").asText()).isEqualTo("crm");
        assertThat(RunningRouter.json(router.get("/api/deliveries?target=other")).get("deliveries").size()).isZero();

        assertThat(router.request("POST", "/api/deliveries/replay", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(400);
        assertThat(router.request("POST", "/api/deliveries/replay?target=nope", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(404);
        assertThat(router.request("POST", "/api/deliveries/replay?target=crm&since=yesterday", RunningRouter.OPERATOR_TOKEN)
                .statusCode()).isEqualTo(400);
        HttpResponse<String> replay = router.request("POST", "/api/deliveries/replay?target=crm&since=2099-01-01T00:00:00Z",
                RunningRouter.OPERATOR_TOKEN);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(RunningRouter.json(replay).get("target").asText()).isEqualTo("crm");
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static final Map<String, String> JSON_ONLY = Map.of("Content-Type", "application/json");

    @Test
    void vendorSignaturesAndTimestampsInTheQueryStringAreNotCredentials() throws Exception {
        byte[] sumsub = "{\"applicantId\":\"q-1\",\"correlationId\":\"c\",\"type\":\"applicantCreated\",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> digest = new LinkedHashMap<>(Signer.sumsub(sumsub, "HMAC_SHA256_HEX", "HmacSHA256"));
        digest.remove("Content-Type");
        assertUnauthorized(router.post("/webhooks/sumsub?" + query(digest), sumsub, JSON_ONLY));

        byte[] didit = "{\"session_id\":\"q-2\",\"status\":\"Approved\",\"created_at\":1727681752}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> signed = new LinkedHashMap<>(Signer.diditRaw(didit));
        String timestamp = signed.remove("X-Timestamp");
        assertUnauthorized(router.post("/webhooks/didit?X-Timestamp=" + timestamp, didit, signed));
        Map<String, String> allInQuery = new LinkedHashMap<>(Signer.diditRaw(didit));
        allInQuery.remove("Content-Type");
        assertUnauthorized(router.post("/webhooks/didit?" + query(allInQuery), didit, JSON_ONLY));

        byte[] veratad = RunningRouter.example("veratad/journey-3.json");
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (RunningRouter.VERATAD_USER + ":" + RunningRouter.VERATAD_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertUnauthorized(router.post("/webhooks/veratad?" + query(Map.of("Authorization", basic)), veratad, JSON_ONLY));

        // the same credentials in headers are accepted
        assertThat(router.post("/webhooks/sumsub", sumsub, Signer.sumsub(sumsub)).statusCode()).isEqualTo(200);
        assertThat(router.post("/webhooks/didit", didit, Signer.diditRaw(didit)).statusCode()).isEqualTo(200);
        assertThat(router.post("/webhooks/veratad", veratad, Signer.veratadBasic()).statusCode()).isEqualTo(200);
    }
}
