package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook the HTTP server itself refuses, outside the routes (here a chunked body past the server's limit, which no
 * Content-Length announced), counts among the console's refusals like the routes' own.
 */
class ServerRefusalsCountedTest {

    @Test
    void aBodyOverTheServersLimitCountsAsRefusedTooLarge() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("server-refusals"));
        settings.put("kyc.ingress.server-max-body-size", "200000");
        try (RunningRouter router = RunningRouter.start(settings)) {
            byte[] big = new byte[300_000];
            java.util.Arrays.fill(big, (byte) ' ');
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + "/webhooks/sumsub"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("X-Payload-Digest", "00")
                    // no Content-Length: the body is sent chunked, and only the server's reading finds it too large
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).contains("server limit");
            JsonNode refusals = RunningRouter.json(router.get("/api/refusals")).get("refusals");
            assertThat(refusals.size()).isEqualTo(1);
            assertThat(refusals.get(0).get("vendor").asText()).isEqualTo("sumsub");
            assertThat(refusals.get(0).get("reason").asText()).isEqualTo("too_large");
        }
    }
}
