package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/inbox/parked lists the deliveries accepted but not mapped (no canonical event yet), oldest first, with their
 * attempts and last error, for operators who cannot query the embedded H2 file while the router holds it. Never the
 * body; the same bearer token as every API call.
 */
class ParkedDeliveriesApiTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("parked"));
        // the rows below are parked on purpose: the recovery route must leave them as they are during the test
        settings.put("kyc.inbox.recovery-period-ms", "3600000");
        router = RunningRouter.start(settings);
        park(1001, "didit", "didit-parked-old", "2026-01-01T00:00:00Z", 3, "mapping failed: unknown status 'Weird'");
        park(1002, "sumsub", "sumsub-parked", "2026-01-02T00:00:00Z", 1, "mapping failed: no applicantId");
        park(1003, "didit", "didit-parked-new", "2026-01-03T00:00:00Z", 0, null);
        // a delivery accepted and mapped: not parked
        byte[] body = "{\"session_id\":\"parked-mapped\",\"status\":\"Approved\",\"created_at\":1727681752}".getBytes();
        HttpResponse<String> ok = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(ok.statusCode()).isEqualTo(200);
        router.canonicalEventOf(RunningRouter.json(ok).get("id").asLong());
    }

    static void park(long id, String vendor, String key, String receivedAt, int attempts, String error) throws Exception {
        try (Connection c = router.db(); PreparedStatement insert = c.prepareStatement("insert into inbox"
                + " (id, vendor, event_key, received_at, auth_scheme, body, attempts, last_error) values (?, ?, ?, ?, 'v2', ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, vendor);
            insert.setString(3, key);
            insert.setTimestamp(4, Timestamp.from(Instant.parse(receivedAt)));
            insert.setString(5, "{\"name\":\"Jane Body-Secret\"}");
            insert.setInt(6, attempts);
            insert.setString(7, error);
            insert.executeUpdate();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void listsTheParkedDeliveriesOldestFirstWithoutTheirBodies() throws Exception {
        HttpResponse<String> answer = router.get("/api/inbox/parked");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode parked = RunningRouter.json(answer).get("parked");
        assertThat(parked.size()).isEqualTo(3);
        JsonNode first = parked.get(0);
        assertThat(first.get("id").asLong()).isEqualTo(1001);
        assertThat(first.get("vendor").asText()).isEqualTo("didit");
        assertThat(first.get("eventKey").asText()).isEqualTo("didit-parked-old");
        assertThat(first.get("receivedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("lastError").asText()).isEqualTo("mapping failed: unknown status 'Weird'");
        assertThat(parked.get(2).get("lastError").isNull()).isTrue();
        assertThat(answer.body()).doesNotContain("Body-Secret").doesNotContain("parked-mapped").doesNotContain("\"body\"");
    }

    @Test
    void filtersByVendorAndLimits() throws Exception {
        JsonNode didit = RunningRouter.json(router.get("/api/inbox/parked?vendor=didit&limit=100")).get("parked");
        assertThat(didit.size()).isEqualTo(2);
        assertThat(didit.get(0).get("eventKey").asText()).isEqualTo("didit-parked-old");
        assertThat(didit.get(1).get("eventKey").asText()).isEqualTo("didit-parked-new");
        JsonNode one = RunningRouter.json(router.get("/api/inbox/parked?limit=1")).get("parked");
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.get(0).get("id").asLong()).isEqualTo(1001);
        assertThat(RunningRouter.json(router.get("/api/inbox/parked?vendor=argos")).get("parked").size()).isZero();
    }

    @Test
    void badParametersWrongMethodsAndMissingTokensAreRefused() throws Exception {
        HttpResponse<String> badVendor = router.get("/api/inbox/parked?vendor=nobody");
        assertThat(badVendor.statusCode()).isEqualTo(400);
        assertThat(RunningRouter.json(badVendor).get("error").asText()).isEqualTo("invalid_parameter");
        assertThat(router.get("/api/inbox/parked?limit=many").statusCode()).isEqualTo(400);
        assertThat(router.request("GET", "/api/inbox/parked", null).statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/inbox/parked", "wrong").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/inbox/parked?Authorization=Bearer%20" + RunningRouter.OPERATOR_TOKEN, null)
                .statusCode()).isEqualTo(401);
        HttpResponse<String> post = router.request("POST", "/api/inbox/parked", RunningRouter.OPERATOR_TOKEN);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(RunningRouter.json(post).get("error").asText()).isEqualTo("method_not_allowed");
    }
}
