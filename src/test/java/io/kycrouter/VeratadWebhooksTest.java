package io.kycrouter;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.kycrouter.support.RunningRouter.example;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Veratad VX: Basic or HMAC authentication, one webhook per journey step, and no personal data anywhere. */
class VeratadWebhooksTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("veratad"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void documentedExampleWithBasicCredentials() throws Exception {
        byte[] body = example("veratad/documented.json");
        HttpResponse<String> response = router.post("/webhooks/veratad", body, Signer.veratadBasic());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode event = router.canonicalEventOf(json(response).get("id").asLong());
        assertThat(event.get("verificationId").asText()).isEqualTo("e7a5f0d4-1234-5678-9abc-def012345678");
        assertThat(event.get("vendorEventType").asText()).isEqualTo("PENDING");
        assertThat(event.get("type").asText()).isEqualTo("CHECK_UPDATED");
        assertThat(event.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(event.get("final").asBoolean()).isFalse();
        assertThat(event.get("externalUserId").isNull()).isTrue(); // reference is empty in the example
        assertThat(event.get("occurredAt").asText()).isEqualTo("2025-10-04T22:19:09.127088Z");
        // dcams_plus.detail is free text: only the action code reaches the event
        assertThat(event.get("reasons").toString()).isEqualTo("[{\"code\":\"FAIL\",\"message\":null}]");
        assertThat(event.get("vendorEventKey").asText()).startsWith("e7a5f0d4-1234-5678-9abc-def012345678:PENDING:2025-10-04 22");
    }

    @Test
    void hmacSignatureIsAcceptedToo() throws Exception {
        byte[] body = new String(example("veratad/documented.json"), StandardCharsets.UTF_8)
                .replace("e7a5f0d4-1234-5678-9abc-def012345678", "e7a5f0d4-hmac").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = router.post("/webhooks/veratad", body, Signer.veratadHmac(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void wrongOrMissingCredentialsAreRefused() throws Exception {
        byte[] body = example("veratad/journey-3.json");
        long before = router.count("select count(*) from inbox");
        Map<String, String> wrongPassword = Signer.json();
        wrongPassword.put("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (RunningRouter.VERATAD_USER + ":nope").getBytes(StandardCharsets.UTF_8)));
        assertThat(router.post("/webhooks/veratad", body, wrongPassword).statusCode()).isEqualTo(401);
        Map<String, String> wrongHmac = Signer.veratadHmac("other".getBytes(StandardCharsets.UTF_8));
        assertThat(router.post("/webhooks/veratad", body, wrongHmac).statusCode()).isEqualTo(401);
        assertThat(router.post("/webhooks/veratad", body, Signer.json()).statusCode()).isEqualTo(401);
        Map<String, String> notBase64 = Signer.json();
        notBase64.put("Authorization", "Basic %%%");
        assertThat(router.post("/webhooks/veratad", body, notBase64).statusCode()).isEqualTo(401);
        assertThat(router.count("select count(*) from inbox")).isEqualTo(before);
    }

    @Test
    void stepsDeliveredOutOfOrderLeaveTheLastStepsState() throws Exception {
        String request = "9b2e7c1a-4d5f-4e6a-8b7c-ooo";
        for (int step : new int[] {3, 1, 2}) {
            byte[] body = new String(example("veratad/journey-" + step + ".json"), StandardCharsets.UTF_8)
                    .replace("9b2e7c1a-4d5f-4e6a-8b7c-journey00001", request).getBytes(StandardCharsets.UTF_8);
            router.canonicalEventOf(json(router.post("/webhooks/veratad", body, Signer.veratadBasic())).get("id").asLong());
        }
        JsonNode state = json(router.get("/api/verifications/veratad/" + request));
        assertThat(state.get("status").asText()).isEqualTo("APPROVED");
        assertThat(state.get("final").asBoolean()).isTrue();
        assertThat(state.get("eventCount").asLong()).isEqualTo(3);
        assertThat(state.get("statusAt").asText()).isEqualTo("2025-10-04T22:21:40.000417Z");
    }

    @Test
    void aRetriedStepIsStoredOnce() throws Exception {
        byte[] body = new String(example("veratad/journey-1.json"), StandardCharsets.UTF_8)
                .replace("journey00001", "dup000001").getBytes(StandardCharsets.UTF_8);
        long id = json(router.post("/webhooks/veratad", body, Signer.veratadBasic())).get("id").asLong();
        HttpResponse<String> retry = router.post("/webhooks/veratad", body, Signer.veratadBasic());
        assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
        assertThat(json(retry).get("id").asLong()).isEqualTo(id);
    }

    /** Captures every log line of the router (all loggers) and everything written to stdout/stderr. */
    static final class CapturedOutput extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        CapturedOutput() {
            setContext(root.getLoggerContext());
            start();
            root.addAppender(this);
            PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
            System.setOut(tee);
            System.setErr(tee);
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()))
                    + " " + event.getMDCPropertyMap());
        }

        String all() {
            return String.join("\n", lines) + "\n" + console.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aWholeJourneyLeavesNoPersonalDataInLogsErrorsOrEvents() throws Exception {
        String[] personal = {"123-45-6789", "123456789", "19840224", "1984-02-24", "Avery", "Langley", "Evergreen",
                "Springfield", "62704", "avery.langley", "examplemail", "3125550198", "198.51.100.77"};
        List<String> answers = new ArrayList<>();
        String logged;
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("veratad-pii"));
        try (CapturedOutput output = new CapturedOutput(); RunningRouter own = RunningRouter.start(settings)) {
            List<Long> ids = new ArrayList<>();
            for (int step = 1; step <= 3; step++) {
                byte[] body = example("veratad/journey-" + step + ".json");
                HttpResponse<String> response = own.post("/webhooks/veratad", body, Signer.veratadBasic());
                answers.add(response.body());
                assertThat(response.statusCode()).isEqualTo(200);
                ids.add(json(response).get("id").asLong());
                answers.add(own.post("/webhooks/veratad", body, Signer.veratadBasic()).body()); // vendor retry
            }
            // a step whose free-text detail repeats the personal data: kept in the inbox, never in the event
            byte[] detailed = new String(example("veratad/journey-3.json"), StandardCharsets.UTF_8)
                    .replace("journey00001", "journey00002")
                    .replace("\"detail\": \"MATCH FOUND\",\n    \"issues\"",
                            "\"detail\": \"NO MATCH Avery Langley, 742 Evergreen Terrace, IP 198.51.100.77, DOB 1984-02-24, 3125550198\",\n    \"issues\"")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(new String(detailed, StandardCharsets.UTF_8)).contains("198.51.100.77");
            HttpResponse<String> detailedAnswer = own.post("/webhooks/veratad", detailed, Signer.veratadBasic());
            answers.add(detailedAnswer.body());
            ids.add(json(detailedAnswer).get("id").asLong());
            for (long id : ids) {
                answers.add(own.canonicalEventOf(id).toString());
            }
            String journey3 = new String(example("veratad/journey-3.json"), StandardCharsets.UTF_8);
            // rejected deliveries carrying the same personal data: bad credentials, broken JSON, missing fields
            answers.add(own.post("/webhooks/veratad", journey3.getBytes(StandardCharsets.UTF_8), Signer.json()).body());
            byte[] broken = journey3.replace("\"ssn\": \"123-45-6789\",", "\"ssn\": 123-45-6789,").getBytes(StandardCharsets.UTF_8);
            answers.add(own.post("/webhooks/veratad", broken, Signer.veratadBasic()).body());
            byte[] unquoted = journey3.replace("\"fn\": \"Avery\"", "\"fn\": Avery").getBytes(StandardCharsets.UTF_8);
            answers.add(own.post("/webhooks/veratad", unquoted, Signer.veratadBasic()).body());
            byte[] noRequest = journey3.replace("\"request_id\"", "\"request\"").getBytes(StandardCharsets.UTF_8);
            answers.add(own.post("/webhooks/veratad", noRequest, Signer.veratadBasic()).body());
            answers.add(own.get("/api/verifications/veratad/9b2e7c1a-4d5f-4e6a-8b7c-journey00001").body());
            answers.add(own.get("/api/verifications/veratad/9b2e7c1a-4d5f-4e6a-8b7c-journey00001/events").body());
            answers.add(own.get("/api/verifications/veratad/9b2e7c1a-4d5f-4e6a-8b7c-journey00002/events").body());
            assertThat(json(own.get("/api/verifications/veratad/9b2e7c1a-4d5f-4e6a-8b7c-journey00001")).get("status").asText())
                    .isEqualTo("APPROVED");
            assertThat(json(own.get("/api/verifications/veratad/9b2e7c1a-4d5f-4e6a-8b7c-journey00001")).get("externalUserId").asText())
                    .isEqualTo("client-ref-5521");
            logged = output.all();
        }
        assertThat(logged).contains("vendor=veratad"); // the capture did see the router's delivery log lines
        for (String value : personal) {
            assertThat(logged).as("logs").doesNotContain(value);
            for (String answer : answers) {
                assertThat(answer).as("answers and events").doesNotContain(value);
            }
        }
    }
}
