package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Dedupe, out-of-order deliveries, resets, and the operator read API. */
class VerificationStateTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("state"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static byte[] didit(String session, String status, long createdAt) {
        return ("{\"session_id\":\"" + session + "\",\"status\":\"" + status + "\",\"created_at\":" + createdAt
                + ",\"vendor_data\":\"user-1\"}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sumsub(String applicant, String type, String createdAtMs, String reviewResult) {
        return ("{\"applicantId\":\"" + applicant + "\",\"correlationId\":\"req-" + type + createdAtMs.hashCode() + "\",\"type\":\""
                + type + "\",\"externalUserId\":\"u-" + applicant + "\",\"createdAtMs\":\"" + createdAtMs + "\""
                + (reviewResult == null ? "" : ",\"reviewResult\":" + reviewResult) + "}").getBytes(StandardCharsets.UTF_8);
    }

    long postDidit(byte[] body) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long id = json(response).get("id").asLong();
        router.canonicalEventOf(id);
        return id;
    }

    long postSumsub(byte[] body) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long id = json(response).get("id").asLong();
        router.canonicalEventOf(id);
        return id;
    }

    JsonNode state(String vendor, String id) throws Exception {
        HttpResponse<String> response = router.get("/api/verifications/" + vendor + "/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void duplicateDeliveryIsStoredOnce() throws Exception {
        byte[] body = didit("dup-1", "In Review", 1_727_681_800L);
        HttpResponse<String> first = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        HttpResponse<String> second = router.post("/webhooks/didit", body, Signer.diditRaw(body));
        assertThat(json(first).get("duplicate").asBoolean()).isFalse();
        assertThat(json(second).get("duplicate").asBoolean()).isTrue();
        assertThat(json(second).get("id").asLong()).isEqualTo(json(first).get("id").asLong());
        router.canonicalEventOf(json(first).get("id").asLong());
        assertThat(router.count("select count(*) from inbox where vendor = 'didit' and event_key like 'dup-1:%'")).isEqualTo(1);
        assertThat(router.count("select count(*) from canonical_event where verification_id = 'dup-1'")).isEqualTo(1);
        assertThat(state("didit", "dup-1").get("eventCount").asLong()).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneEventAreStoredOnce() throws Exception {
        byte[] body = didit("race-1", "Approved", 1_727_681_900L);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                answers.add(pool.submit(() -> router.post("/webhooks/didit", body, Signer.diditRaw(body))));
            }
            long accepted = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                accepted += json(r).get("duplicate").asBoolean() ? 0 : 1;
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(router.count("select count(*) from inbox where event_key like 'race-1:%'")).isEqualTo(1);
    }

    @Test
    void differentEventsOfOneSessionAreNotCollapsed() throws Exception {
        postDidit(didit("multi-1", "Not Started", 1_727_681_000L));
        postDidit(didit("multi-1", "In Progress", 1_727_681_100L));
        postDidit(didit("multi-1", "In Review", 1_727_681_200L));
        assertThat(router.count("select count(*) from canonical_event where verification_id = 'multi-1'")).isEqualTo(3);
        assertThat(state("didit", "multi-1").get("status").asText()).isEqualTo("PENDING_REVIEW");
    }

    @Test
    void aLateOlderEventDoesNotMoveTheStateBack() throws Exception {
        postDidit(didit("ooo-1", "Approved", 1_727_681_886L));
        postDidit(didit("ooo-1", "In Progress", 1_727_681_836L)); // delayed: happened before the approval
        JsonNode state = state("didit", "ooo-1");
        assertThat(state.get("status").asText()).isEqualTo("APPROVED");
        assertThat(state.get("final").asBoolean()).isTrue();
        assertThat(state.get("eventCount").asLong()).isEqualTo(2);
        assertThat(state.get("statusAt").asText()).isEqualTo("2024-09-30T07:38:06Z");
        assertThat(state.get("firstEventAt").asText()).isEqualTo("2024-09-30T07:37:16Z");

        // both events are in the log, oldest first
        HttpResponse<String> events = router.get("/api/verifications/didit/ooo-1/events");
        assertThat(events.statusCode()).isEqualTo(200);
        JsonNode list = json(events);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(list.get(1).get("status").asText()).isEqualTo("APPROVED");
    }

    @Test
    void atEqualTimesTheLaterLifecycleStageWins() throws Exception {
        String t = "2024-05-01 10:00:00.000";
        postSumsub(sumsub("tie-1", "applicantReviewed", t, "{\"reviewAnswer\":\"GREEN\"}"));
        postSumsub(sumsub("tie-1", "applicantPending", t, null));
        assertThat(state("sumsub", "tie-1").get("status").asText()).isEqualTo("APPROVED");
    }

    @Test
    void aResetMovesTheStateBackAndALateReviewDoesNotUndoIt() throws Exception {
        postSumsub(sumsub("reset-1", "applicantReviewed", "2024-05-01 10:00:00.000", "{\"reviewAnswer\":\"GREEN\"}"));
        assertThat(state("sumsub", "reset-1").get("status").asText()).isEqualTo("APPROVED");
        postSumsub(sumsub("reset-1", "applicantReset", "2024-05-02 10:00:00.000", null));
        assertThat(state("sumsub", "reset-1").get("status").asText()).isEqualTo("NOT_STARTED");
        assertThat(state("sumsub", "reset-1").get("final").asBoolean()).isFalse();
        postSumsub(sumsub("reset-1", "applicantReviewed", "2024-05-01 09:00:00.000",
                "{\"reviewAnswer\":\"RED\",\"reviewRejectType\":\"FINAL\",\"rejectLabels\":[\"FORGERY\"]}"));
        assertThat(state("sumsub", "reset-1").get("status").asText()).isEqualTo("NOT_STARTED");
        assertThat(state("sumsub", "reset-1").get("eventCount").asLong()).isEqualTo(3);
    }

    @Test
    void eventsWithoutAStatusDoNotChangeIt() throws Exception {
        postSumsub(sumsub("info-1", "applicantPending", "2024-05-01 10:00:00.000", null));
        postSumsub(sumsub("info-1", "applicantTagsChanged", "2024-05-03 10:00:00.000", null));
        JsonNode state = state("sumsub", "info-1");
        assertThat(state.get("status").asText()).isEqualTo("PENDING_REVIEW");
        assertThat(state.get("lastEventAt").asText()).isEqualTo("2024-05-03T10:00:00Z");
    }

    @Test
    void resubmissionIsNotFinal() throws Exception {
        postSumsub(sumsub("retry-1", "applicantReviewed", "2024-05-01 10:00:00.000",
                "{\"reviewAnswer\":\"RED\",\"reviewRejectType\":\"RETRY\",\"rejectLabels\":[\"BAD_PROOF_OF_ADDRESS\"]}"));
        JsonNode state = state("sumsub", "retry-1");
        assertThat(state.get("status").asText()).isEqualTo("RESUBMISSION_REQUIRED");
        assertThat(state.get("final").asBoolean()).isFalse();
        assertThat(state.get("externalUserId").asText()).isEqualTo("u-retry-1");
    }

    @Test
    void readApiNeedsTheOperatorToken() throws Exception {
        postDidit(didit("api-1", "In Review", 1_727_681_000L));
        assertThat(router.request("GET", "/api/verifications/didit/api-1", null).statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/verifications/didit/api-1", "wrong").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/verifications/didit/api-1/events", "wrong").statusCode()).isEqualTo(401);
        assertThat(router.get("/api/verifications/didit/api-1").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAConfiguredTokenTheApiRefusesEveryone() throws Exception {
        java.util.Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("no-token"));
        settings.remove("kyc.api.operator-token"); // the config file's default: KYC_OPERATOR_TOKEN unset
        try (RunningRouter open = RunningRouter.start(settings)) {
            for (String bearer : new String[] {null, "anything", RunningRouter.OPERATOR_TOKEN}) {
                for (String path : new String[] {"/api/verifications/didit/x", "/api/verifications/didit/x/events", "/api/deliveries"}) {
                    HttpResponse<String> answer = open.request("GET", path, bearer);
                    assertThat(answer.statusCode()).as(path + " with " + bearer).isEqualTo(401);
                    assertThat(answer.body()).contains("\"error\"");
                }
            }
        }
    }

    @Test
    void unknownVerificationIs404() throws Exception {
        HttpResponse<String> response = router.get("/api/verifications/didit/no-such-session");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_found");
        assertThat(router.get("/api/verifications/didit/no-such-session/events").statusCode()).isEqualTo(404);
    }
}
