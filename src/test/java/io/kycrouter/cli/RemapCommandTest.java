package io.kycrouter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code remap} as a command of the jar, run in-process against a running router: it calls the router's operator API
 * with the operator token from the environment and prints the answer; exit 1 on an error answer, 2 on usage errors.
 */
class RemapCommandTest {

    static RunningRouter router;
    static String url;

    /** What one run of the command printed, and its exit code. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return RunningRouter.JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("remap-command"));
        settings.put("kyc.inbox.recovery-period-ms", "3600000");
        router = RunningRouter.start(settings);
        url = "http://127.0.0.1:" + router.port();
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static Run remap(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new RemapCommand(env).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run remap(String... args) {
        return remap(Map.of("KYC_OPERATOR_TOKEN", RunningRouter.OPERATOR_TOKEN), args);
    }

    /** A Didit delivery stored but parked (its mapping failed when it arrived). */
    static long parked(String key, String session, OffsetDateTime receivedAt) throws Exception {
        try (Connection c = router.db(); PreparedStatement s = c.prepareStatement("insert into inbox"
                + " (vendor, event_key, received_at, body, attempts, last_error) values ('didit', ?, ?, ?, 1000000, 'broken mapping')")) {
            s.setString(1, key);
            s.setObject(2, receivedAt);
            s.setString(3, "{\"session_id\":\"" + session + "\",\"status\":\"Approved\",\"created_at\":1767225600}");
            s.executeUpdate();
        }
        return router.count("select id from inbox where event_key = ?", key);
    }

    @Test
    void oneDeliveryByIdIsMappedAgainAndTheAnswerPrinted() throws Exception {
        long id = parked("command-one", "command-one", OffsetDateTime.now(ZoneOffset.UTC).minusDays(2));
        Run run = remap("didit", "--id", String.valueOf(id), "--url", url);
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.get("remapped").asInt()).isEqualTo(1);
        assertThat(answer.get("results").get(0).get("inboxId").asLong()).isEqualTo(id);
        assertThat(router.canonicalEventOf(id).get("status").asText()).isEqualTo("APPROVED");

        Run otherVendor = remap("sumsub", "--id", String.valueOf(id), "--url", url);
        assertThat(otherVendor.code()).isEqualTo(1);
        assertThat(otherVendor.err()).contains("404").contains("no delivery of sumsub with this id");
    }

    @Test
    void aVendorsDeliveriesSinceATimeAreMappedAgain() throws Exception {
        OffsetDateTime since = OffsetDateTime.parse("2030-01-01T00:00:00Z");
        long first = parked("command-since-1", "command-since-1", since.plusHours(1));
        long second = parked("command-since-2", "command-since-2", since.plusHours(2));
        Run run = remap("didit", "--since", since.toInstant().toString(), "--url", url);
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode answer = run.json();
        assertThat(answer.get("remapped").asInt()).isEqualTo(2);
        assertThat(answer.get("results").findValues("inboxId").stream().map(JsonNode::asLong)).containsExactly(first, second);
        assertThat(router.count("select count(*) from canonical_event where inbox_id in (?, ?)", first, second)).isEqualTo(2);
    }

    @Test
    void anErrorAnswerExitsWithOne() {
        Run unknownVendor = remap("nobody", "--all", "--url", url);
        assertThat(unknownVendor.code()).isEqualTo(1);
        assertThat(unknownVendor.err()).contains("404 unknown_vendor");
        Run wrongToken = remap(Map.of("KYC_OPERATOR_TOKEN", "wrong"), "didit", "--all", "--url", url);
        assertThat(wrongToken.code()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("401 unauthorized");
        Run nobodyListens = remap("didit", "--all", "--url", "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable());
        assertThat(nobodyListens.code()).isEqualTo(1);
        assertThat(nobodyListens.err()).contains("no answer from");
    }

    @Test
    void usageErrorsExitWithTwoAndOneClearLine() {
        assertThat(remap().code()).isEqualTo(2);
        Run noSelection = remap("didit", "--url", url);
        assertThat(noSelection.code()).isEqualTo(2);
        assertThat(noSelection.err()).startsWith("remap: give --event-type and/or --since, or --all")
                .contains("usage: remap <vendor>").hasLineCount(1);
        assertThat(remap("didit", "--since", "yesterday", "--url", url).err()).contains("--since must be an ISO-8601 instant");
        assertThat(remap("didit", "--id", "seven", "--url", url).code()).isEqualTo(2);
        assertThat(remap("didit", "--id", "7", "--all", "--url", url).code()).isEqualTo(2);
        assertThat(remap("didit", "--all", "--colour", "red").code()).isEqualTo(2);
        Run noToken = remap(Map.of("KYC_CONFIG", "config/application.properties"), "didit", "--all", "--url", url);
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("KYC_OPERATOR_TOKEN");
    }
}
