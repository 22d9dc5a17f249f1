package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import io.kycrouter.support.VendorExamples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Onfido's webhooks (classic checks and Studio workflow runs) over HTTP, signed with X-SHA2-Signature. */
class OnfidoWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("onfido"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    private static JsonNode accepted(byte[] body) throws Exception {
        HttpResponse<String> response = router.post("/webhooks/onfido", body, Signer.onfido(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("status").asText()).isEqualTo("accepted");
        long inboxId = answer.get("id").asLong();
        assertThat(router.count("select count(*) from inbox where id = ? and vendor = 'onfido'", inboxId)).isEqualTo(1);
        return router.canonicalEventOf(inboxId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"check-completed", "workflow-task-started", "workflow-run-completed"})
    void documentedExampleBecomesItsExpectedEvent(String example) throws Exception {
        JsonNode event = accepted(VendorExamples.body("onfido", example));
        VendorExamples.assertProduces("onfido", example, event);
        assertThat(router.count("select count(*) from canonical_event where inbox_id = ? and verification_id = ?",
                event.get("inboxId").asLong(), event.get("verificationId").asText())).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
            "approved,  VERIFICATION_COMPLETED, APPROVED,       true",
            "declined,  VERIFICATION_COMPLETED, REJECTED,       true",
            "review,    VERIFICATION_SUBMITTED, PENDING_REVIEW, false",
            "abandoned, VERIFICATION_ABANDONED, ABANDONED,      false",
            "error,     VERIFICATION_COMPLETED, UNKNOWN,        false"})
    void workflowRunOutcome(String outcome, String type, String status, boolean isFinal) throws Exception {
        String run = "run-" + outcome;
        byte[] body = ("{\"payload\":{\"resource_type\":\"workflow_run\",\"action\":\"workflow_run.completed\",\"object\":{\"id\":\""
                + run + "\",\"status\":\"" + outcome + "\",\"completed_at_iso8601\":\"2024-05-01T10:00:00Z\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(body);
        assertThat(event.get("verificationId").asText()).isEqualTo(run);
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(event.get("status").asText()).isEqualTo(status);
        assertThat(event.get("final").asBoolean()).isEqualTo(isFinal);
        assertThat(event.get("occurredAt").asText()).isEqualTo("2024-05-01T10:00:00Z");
    }

    @Test
    void theRunsInputAndOutputDoNotReachTheEvent() throws Exception {
        String text = "{\"payload\":{\"resource_type\":\"workflow_run\",\"action\":\"workflow_run.completed\",\"object\":{"
                + "\"id\":\"run-pii\",\"status\":\"approved\",\"completed_at_iso8601\":\"2024-05-01T10:00:00Z\"},"
                + "\"resource\":{\"id\":\"run-pii\",\"customer_user_id\":\"user-77\",\"reasons\":[],"
                + "\"input\":{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"dob\":\"1990-01-31\",\"email\":\"jane@example.com\"},"
                + "\"output\":{\"document_number\":\"X1234567\",\"address\":\"1 Main Street, London\",\"ip\":\"203.0.113.7\"}}}}";
        JsonNode event = accepted(text.getBytes(StandardCharsets.UTF_8));
        assertThat(event.get("externalUserId").asText()).isEqualTo("user-77");
        assertThat(event.toString()).doesNotContain("Jane", "Doe", "1990-01-31", "jane@example.com", "X1234567",
                "Main Street", "203.0.113.7");
    }

    @Test
    void aReportIsACheckOfItsOwn() throws Exception {
        byte[] body = ("{\"payload\":{\"resource_type\":\"report\",\"action\":\"report.completed\",\"object\":{\"id\":\"rep-1\","
                + "\"status\":\"complete\",\"completed_at_iso8601\":\"2024-05-01T10:00:00Z\"}}}").getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(body);
        assertThat(event.get("type").asText()).isEqualTo("CHECK_UPDATED");
        assertThat(event.get("checks").get(0).get("name").asText()).isEqualTo("report");
        assertThat(event.get("checks").get(0).get("result").asText()).isEqualTo("complete");
    }

    @Test
    void unknownActionIsKeptAsUnknown() throws Exception {
        byte[] body = ("{\"payload\":{\"resource_type\":\"watchlist_monitor\",\"action\":\"watchlist_monitor.matches_updated\","
                + "\"object\":{\"id\":\"wm-1\",\"status\":\"complete\"}}}").getBytes(StandardCharsets.UTF_8);
        JsonNode event = accepted(body);
        assertThat(event.get("type").asText()).isEqualTo("UNKNOWN");
        assertThat(event.get("status").asText()).isEqualTo("UNKNOWN");
        assertThat(event.get("vendorEventType").asText()).isEqualTo("watchlist_monitor.matches_updated");
    }

    @Test
    void wrongSignatureIs401AndNothingIsStored() throws Exception {
        byte[] body = VendorExamples.body("onfido", "check-completed");
        Map<String, String> headers = Signer.json();
        headers.put("X-SHA2-Signature", Signer.hmacHex("HmacSHA256", "not-the-token", body));
        long before = router.count("select count(*) from inbox where vendor = 'onfido'");
        HttpResponse<String> response = router.post("/webhooks/onfido", body, headers);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).get("message").asText()).contains("X-SHA2-Signature");
        assertThat(router.post("/webhooks/onfido", body, Signer.json()).statusCode()).as("no signature").isEqualTo(401);
        assertThat(router.count("select count(*) from inbox where vendor = 'onfido'")).isEqualTo(before);
    }
}
