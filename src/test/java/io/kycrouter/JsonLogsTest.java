package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RouterProcess;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With KYC_LOG_FORMAT=json (src/main/resources/logback.xml) every line is a JSON object, and a delivery's line carries
 * vendor, status, outcome (and, when refused, the reason: the error code's message) as fields of its key-value list,
 * never the body. The router runs as its own process so that logback reads the format at start-up as in production.
 */
class JsonLogsTest {

    @Test
    void deliveryLinesCarryTheirFieldsAsJson() throws Exception {
        Path dir = RunningRouter.tempDir("json-logs");
        Map<String, String> env = new HashMap<>();
        env.put("KYC_LOG_FORMAT", "json");
        // the production logback.xml, not the test classpath's logback-test.xml (which logback would prefer)
        env.put("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile="
                + Path.of("src/main/resources/logback.xml").toAbsolutePath());
        env.put("KYC_DB_URL", "jdbc:h2:file:" + dir.resolve("kyc").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        env.put("KYC_SUMSUB_SECRET", RunningRouter.SUMSUB_SECRET);
        try (RouterProcess router = RouterProcess.start("json", env, dir)) {
            byte[] body = RunningRouter.example("sumsub/applicantReviewed-1.json");
            HttpResponse<String> accepted = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            byte[] forged = "{\"applicantId\":\"secret-payload-text\",\"type\":\"applicantReviewed\"}".getBytes(StandardCharsets.UTF_8);
            Map<String, String> wrongSignature = new HashMap<>(Signer.sumsub(body)); // another body's digest
            HttpResponse<String> refused = router.post("/webhooks/sumsub", forged, wrongSignature);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            String refusalMessage = RunningRouter.json(refused).get("message").asText();

            await("the two delivery lines").atMost(RunningRouter.WAIT).until(() -> deliveryLines(router).size() == 2);
            List<JsonNode> lines = deliveryLines(router);
            Map<String, String> ok = fields(lines.get(0));
            assertThat(ok).containsEntry("vendor", "sumsub").containsEntry("status", "200").containsEntry("outcome", "accepted")
                    .doesNotContainKey("reason");
            assertThat(ok.get("key")).isNotBlank();
            Map<String, String> no = fields(lines.get(1));
            assertThat(no).containsEntry("vendor", "sumsub").containsEntry("status", "401").containsEntry("outcome", "unauthorized")
                    .containsEntry("reason", refusalMessage)
                    .doesNotContainKey("key"); // refused before its event was identified
            assertThat(lines.get(1).get("level").asText()).isEqualTo("INFO");
            assertThat(lines.get(1).get("formattedMessage").asText()).contains("outcome=unauthorized").contains(refusalMessage);
            assertThat(router.log()).doesNotContain("secret-payload-text");
        }
    }

    /** The kyc.ingress delivery lines of the process's log, parsed; every other line must be JSON too. */
    static List<JsonNode> deliveryLines(RouterProcess router) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : router.log().split("\n")) {
                if (line.isBlank() || !line.startsWith("{")) {
                    continue; // the JVM's own output (warnings) is not logback's
                }
                JsonNode node = RunningRouter.JSON.readTree(line);
                if ("kyc.ingress".equals(node.path("loggerName").asText()) && node.has("kvpList")) {
                    lines.add(node);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    static Map<String, String> fields(JsonNode line) {
        Map<String, String> fields = new HashMap<>();
        for (JsonNode pair : line.get("kvpList")) {
            pair.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        }
        return fields;
    }
}
