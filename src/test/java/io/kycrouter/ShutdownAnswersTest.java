package io.kycrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.kycrouter.support.RawHttp;
import io.kycrouter.support.RawHttp.Answer;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A graceful shutdown waits for the requests in flight; every request arriving meanwhile gets a JSON 503 with
 * Retry-After and Connection: close (never Vert.x's HTML 404 or an empty 503: senders drop a webhook answered 404),
 * whatever its path, until the server closes. A request held in a route keeps the shutdown window open.
 */
class ShutdownAnswersTest {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyRequestArrivingDuringAGracefulShutdownGetsAJson503WithRetryAfter() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("shutdown"));
        settings.put("camel.main.shutdown-timeout", "120"); // the held request, not the timeout, ends the window
        RunningRouter router = RunningRouter.start(settings);
        CamelContext context = router.main().getCamelContext();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/test/in-flight").routeId("test-in-flight")
                        .process(exchange -> {
                            entered.countDown();
                            release.await(120, TimeUnit.SECONDS);
                        })
                        .setBody(constant("{\"held\":true}"));
            }
        });
        CompletableFuture<Void> stopped = null;
        try (Socket keptAlive = new Socket("127.0.0.1", router.port())) {
            // a connection kept alive from before the shutdown
            keptAlive.getOutputStream().write(("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.one(keptAlive).status()).isEqualTo(404);

            CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.port() + "/test/in-flight")).timeout(Duration.ofSeconds(150)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(60, TimeUnit.SECONDS)).as("the held request reached its route").isTrue();

            stopped = CompletableFuture.runAsync(() -> {
                try {
                    router.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the shutdown to start").atMost(RunningRouter.WAIT).until(context::isStopping);
            // the consumers are suspended while the held request keeps the shutdown waiting
            await("the webhook route to stop taking requests").atMost(RunningRouter.WAIT)
                    .until(() -> ServiceHelper.isSuspended(context.getRoute("ingress-http").getConsumer())
                            || ServiceHelper.isStopped(context.getRoute("ingress-http").getConsumer()));

            byte[] body = ("{\"applicantId\":\"during-shutdown\",\"correlationId\":\"c\",\"type\":\"applicantCreated\","
                    + "\"createdAtMs\":\"2024-01-01 00:00:00.000\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> webhook = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
            assertShuttingDown(webhook.statusCode(), webhook.body(), webhook.headers().firstValue("Retry-After").orElse(null),
                    webhook.headers().firstValue("Content-Type").orElse(null));
            for (String path : new String[] {"/webhooks/didit", "/webhooks/", "/", "/api/deliveries", "/nothing/here"}) {
                Answer answer = RawHttp.untilClosed(router.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                assertShuttingDown(answer.status(), answer.body(), answer.header("Retry-After"), answer.header("Content-Type"));
            }
            keptAlive.getOutputStream().write(("POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            Answer onKeptAlive = RawHttp.one(keptAlive);
            assertShuttingDown(onKeptAlive.status(), onKeptAlive.body(), onKeptAlive.header("Retry-After"), onKeptAlive.header("Content-Type"));
            assertThat(onKeptAlive.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(router.count("select count(*) from inbox where event_key like ?", "%during-shutdown%")).isZero();

            // the request in flight is answered, then the server closes
            release.countDown();
            HttpResponse<String> answered = held.get(60, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).isEqualTo("{\"held\":true}");
            stopped.get(60, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new Socket("127.0.0.1", router.port()).close()).isInstanceOf(ConnectException.class);
        } finally {
            release.countDown();
            if (stopped == null) {
                router.close();
            }
        }
    }

    static void assertShuttingDown(int status, String body, String retryAfter, String contentType) throws Exception {
        assertThat(status).as(body).isEqualTo(503);
        assertThat(contentType).as(body).startsWith("application/json");
        JsonNode json = RunningRouter.JSON.readTree(body);
        assertThat(json.get("status").asText()).isEqualTo("rejected");
        assertThat(json.get("error").asText()).isEqualTo("shutting_down");
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(retryAfter).as("Retry-After").isNotBlank();
    }
}
