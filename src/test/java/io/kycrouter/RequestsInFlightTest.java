package io.kycrouter;

import io.kycrouter.support.CuttableDatabase;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router works on at most kyc.ingress.max-requests-in-flight requests at once: beyond it a request gets a JSON
 * 503 overloaded with Retry-After at once, and once the requests in work are answered, new ones are accepted.
 */
class RequestsInFlightTest {

    @Test
    void beyondTheLimitARequestGets503OverloadedWithRetryAfter() throws Exception {
        java.nio.file.Path dir = RunningRouter.tempDir("in-flight");
        try (CuttableDatabase database = CuttableDatabase.start(dir)) {
            Map<String, String> settings = database.configure(RunningRouter.defaults(dir));
            settings.put("kyc.ingress.max-requests-in-flight", "2");
            try (RunningRouter router = RunningRouter.start(settings)) {
                database.slow(2_000); // two webhooks held in work by a slow database
                List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    byte[] body = TricklingSendersTest.event(i);
                    held.add(CompletableFuture.supplyAsync(() -> post(router, body)).exceptionally(timedOut -> null));
                }
                await("two requests in work").atMost(RunningRouter.WAIT)
                        .until(() -> TricklingSendersTest.metrics(router).contains("kyc_ingress_requests_in_flight 2.0"));

                byte[] third = TricklingSendersTest.event(2);
                HttpResponse<String> shed = router.post("/webhooks/sumsub", third, Signer.sumsub(third));
                assertThat(shed.statusCode()).isEqualTo(503);
                assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(shed.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(RunningRouter.JSON.readTree(shed.body()).get("error").asText()).isEqualTo("overloaded");
                assertThat(RunningRouter.JSON.readTree(shed.body()).get("status").asText()).isEqualTo("rejected");

                database.slow(0);
                for (CompletableFuture<HttpResponse<String>> request : held) {
                    request.get(60, TimeUnit.SECONDS); // answered, whatever the answer (the slow database may outlast the commit wait)
                }
                await("the places given back").atMost(RunningRouter.WAIT)
                        .until(() -> TricklingSendersTest.metrics(router).contains("kyc_ingress_requests_in_flight 0.0"));
                HttpResponse<String> accepted = router.post("/webhooks/sumsub", third, Signer.sumsub(third));
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
                assertThat(TricklingSendersTest.metrics(router)).contains("kyc_ingress_shed_total{reason=\"in_flight\"} 1.0");
            }
        }
    }

    private static HttpResponse<String> post(RunningRouter router, byte[] body) {
        try {
            return router.post("/webhooks/sumsub", body, Signer.sumsub(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
