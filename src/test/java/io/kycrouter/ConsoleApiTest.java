package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.ConsoleClient;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API queries the console's pages read (router/api.yaml), against webhooks sent over HTTP: the overview's counts
 * per vendor (accepted and parked from the database, refusals by reason from memory), the latest deliveries in and
 * refusals (never a body or anything the sender chose), the search by external user id, and a verification's timeline
 * with the event that arrived out of order marked as not having moved the status.
 */
class ConsoleApiTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("console-api"));
        // the parked row stays parked: the inbox recovery neither runs nor would find it due
        settings.put("kyc.inbox.recovery-period-ms", "3600000");
        settings.put("kyc.inbox.recovery-grace-ms", "3600000");
        router = RunningRouter.start(settings);
        // approved at 10:05, then the earlier pending event (10:00) arrives: it must not move the status back
        post("{\"applicantId\":\"api-applicant\",\"externalUserId\":\"api-user-1\",\"correlationId\":\"c-1\",\"type\":\"applicantReviewed\","
                + "\"createdAtMs\":\"2026-11-20 10:05:00.000\",\"reviewStatus\":\"completed\",\"reviewResult\":{\"reviewAnswer\":\"GREEN\"}}");
        post("{\"applicantId\":\"api-applicant\",\"externalUserId\":\"api-user-1\",\"correlationId\":\"c-2\",\"type\":\"applicantPending\","
                + "\"createdAtMs\":\"2026-11-20 10:00:00.000\",\"reviewStatus\":\"pending\"}");
        // later again: resubmission requested, which moves it
        post("{\"applicantId\":\"api-applicant\",\"externalUserId\":\"api-user-1\",\"correlationId\":\"c-3\",\"type\":\"applicantReviewed\","
                + "\"createdAtMs\":\"2026-11-20 11:00:00.000\",\"reviewStatus\":\"completed\","
                + "\"reviewResult\":{\"reviewAnswer\":\"RED\",\"reviewRejectType\":\"RETRY\",\"rejectLabels\":[\"BAD_PROOF_OF_ADDRESS\"]}}");
        byte[] forged = "{\"applicantId\":\"forged\",\"type\":\"applicantPending\",\"name\":\"Jane Forged-Secret\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(router.post("/webhooks/sumsub", forged, Map.of("Content-Type", "application/json",
                "X-Payload-Digest", "00ff", "X-Payload-Digest-Alg", "HMAC_SHA256_HEX")).statusCode()).isEqualTo(401);
        assertThat(router.post("/webhooks/sumsub", "{not json".getBytes(StandardCharsets.UTF_8),
                Signer.sumsub("{not json".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(400);
        try (Connection c = router.db(); PreparedStatement insert = c.prepareStatement("insert into inbox"
                + " (vendor, event_key, received_at, auth_scheme, body, attempts, last_error) values ('didit', 'api-parked', ?, 'v2', ?, 1, ?)")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setString(2, "{\"name\":\"Jane Body-Secret\"}");
            insert.setString(3, "mapping failed: unknown status 'Weird'");
            insert.executeUpdate();
        }
    }

    static void post(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        router.canonicalEventOf(RunningRouter.json(answer).get("id").asLong());
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static JsonNode vendor(JsonNode overview, String name) {
        for (JsonNode v : overview.get("vendors")) {
            if (v.get("vendor").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no vendor " + name + " in " + overview);
    }

    @Test
    void theOverviewCountsAcceptedParkedAndRefusedDeliveriesPerVendor() throws Exception {
        HttpResponse<String> answer = router.get("/api/overview");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode overview = RunningRouter.json(answer);
        JsonNode sumsub = vendor(overview, "sumsub");
        for (String window : List.of("lastHour", "lastDay")) {
            JsonNode w = sumsub.get(window);
            assertThat(w.get("accepted").asLong()).as(window).isEqualTo(3);
            assertThat(w.get("parked").asLong()).isZero();
            assertThat(w.get("refused").asLong()).isEqualTo(2);
            assertThat(w.get("refusedByReason").get("signature").asLong()).isEqualTo(1);
            assertThat(w.get("refusedByReason").get("malformed").asLong()).isEqualTo(1);
        }
        JsonNode didit = vendor(overview, "didit");
        assertThat(didit.get("lastHour").get("accepted").asLong()).isEqualTo(1);
        assertThat(didit.get("lastHour").get("parked").asLong()).isEqualTo(1);
        JsonNode hourly = sumsub.get("hourly");
        assertThat(hourly.size()).isEqualTo(24);
        JsonNode thisHour = hourly.get(23);
        assertThat(Instant.parse(thisHour.get("hour").asText())).isBeforeOrEqualTo(Instant.now());
        long accepted = 0;
        long refused = 0;
        for (JsonNode h : hourly) {
            accepted += h.get("accepted").asLong();
            refused += h.get("refused").asLong();
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isEqualTo(2);
        assertThat(overview.get("health").get("ready").asBoolean()).isTrue();
        assertThat(overview.get("health").get("database").asText()).isEqualTo("UP");
        assertThat(overview.get("targets").size()).isZero();
        assertThat(answer.body()).doesNotContain("Secret").doesNotContain("api-applicant");
    }

    @Test
    void theLatestDeliveriesInAndRefusalsCarryNoBodyAndNothingTheSenderChose() throws Exception {
        JsonNode latest = RunningRouter.json(router.get("/api/inbox/latest?limit=10")).get("deliveries");
        assertThat(latest.size()).isEqualTo(4);
        assertThat(latest.get(0).get("vendor").asText()).isEqualTo("didit");
        assertThat(latest.get(0).get("outcome").asText()).isEqualTo("parked");
        assertThat(latest.get(1).get("outcome").asText()).isEqualTo("mapped");
        assertThat(latest.get(1).get("vendorEventType").asText()).isEqualTo("applicantReviewed");
        assertThat(RunningRouter.json(router.get("/api/inbox/latest?vendor=sumsub")).get("deliveries").size()).isEqualTo(3);
        assertThat(router.get("/api/inbox/latest?vendor=nobody").statusCode()).isEqualTo(400);

        HttpResponse<String> refusals = router.get("/api/refusals");
        JsonNode list = RunningRouter.json(refusals).get("refusals");
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).get("reason").asText()).isEqualTo("malformed");
        assertThat(list.get(1).get("reason").asText()).isEqualTo("signature");
        assertThat(list.get(1).get("vendor").asText()).isEqualTo("sumsub");
        assertThat(refusals.body()).doesNotContain("Forged-Secret").doesNotContain("forged");
        assertThat(router.get("/api/inbox/latest").body()).doesNotContain("Body-Secret").doesNotContain("api-parked");
        assertThat(router.request("GET", "/api/refusals", null).statusCode()).isEqualTo(401);
    }

    @Test
    void verificationsAreFoundByExternalUserId() throws Exception {
        JsonNode found = RunningRouter.json(router.get("/api/verifications?externalUserId=api-user-1")).get("verifications");
        assertThat(found.size()).isEqualTo(1);
        assertThat(found.get(0).get("vendor").asText()).isEqualTo("sumsub");
        assertThat(found.get(0).get("verificationId").asText()).isEqualTo("api-applicant");
        assertThat(found.get(0).get("status").asText()).isEqualTo("RESUBMISSION_REQUIRED");
        assertThat(RunningRouter.json(router.get("/api/verifications?externalUserId=nobody")).get("verifications").size()).isZero();
        HttpResponse<String> missing = router.get("/api/verifications");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(RunningRouter.json(missing).get("error").asText()).isEqualTo("invalid_parameter");
    }

    @Test
    void theTimelineMarksTheEventThatArrivedOutOfOrder() throws Exception {
        HttpResponse<String> answer = router.get("/api/verifications/sumsub/api-applicant/timeline");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode timeline = RunningRouter.json(answer);
        assertThat(timeline.get("state").get("status").asText()).isEqualTo("RESUBMISSION_REQUIRED");
        List<String> shown = new ArrayList<>();
        for (JsonNode e : timeline.get("events")) {
            shown.add(e.get("status").asText() + " moved=" + e.get("movedStatus").asBoolean() + " outOfOrder=" + e.get("outOfOrder").asBoolean());
        }
        // in the vendor's order of time; the pending event arrived after the approval and did not move the status
        assertThat(shown).containsExactly(
                "PENDING_REVIEW moved=false outOfOrder=true",
                "APPROVED moved=true outOfOrder=false",
                "RESUBMISSION_REQUIRED moved=true outOfOrder=false");
        // the event that set the status is the one the state names
        JsonNode last = timeline.get("events").get(2);
        assertThat(last.get("eventId").asText()).isEqualTo(timeline.get("state").get("statusEventId").asText());
        assertThat(last.get("reasons").toString()).contains("BAD_PROOF_OF_ADDRESS");

        HttpResponse<String> unknown = router.get("/api/verifications/sumsub/no-such-applicant/timeline");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(RunningRouter.json(unknown).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void theConsoleSessionReadsTheSameQueries() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        browser.signIn(RunningRouter.OPERATOR_TOKEN);
        assertThat(browser.get("/api/verifications/sumsub/api-applicant/timeline").statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/inbox/latest").statusCode()).isEqualTo(200);
    }
}
