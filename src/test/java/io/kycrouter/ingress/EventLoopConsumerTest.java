package io.kycrouter.ingress;

import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook paths' consumer ({@link WebhookHttpEngine}, {@link EventLoopConsumer}) on a real Vert.x HTTP server with a
 * single worker thread: a route that waits for something asynchronous holds no thread meanwhile, so any number of
 * requests are in it at once; it goes on, and is answered, on the request's event loop; an asynchronous failure takes
 * the route's error handler; a failure nobody handled is a JSON 500. Other paths keep Camel's worker threads.
 */
class EventLoopConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Queue<CompletableFuture<String>> waiting = new ConcurrentLinkedQueue<>();
    private final Queue<String> threads = new ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    private CamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("vertxOptions", new VertxOptions().setWorkerPoolSize(1));
        camel.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, new WebhookHttpEngine());
        camel.getRegistry().bind("waiter", new Waiter());
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true)
                        .process(e -> Responses.error(e, 503, "store_unavailable", "retry later"));
                from("platform-http:/webhooks/{vendor}")
                        .bean("waiter", "await")
                        .process(e -> {
                            threads.add(Thread.currentThread().getName());
                            if ("unhandled".equals(e.getMessage().getBody())) {
                                throw new UnsupportedOperationException("a failure no handler takes");
                            }
                            Responses.raw(e, 200, "{\"status\":\"accepted\",\"after\":\"" + e.getMessage().getBody() + "\"}");
                            e.getMessage().setHeader("X-Answer", "set by the route");
                        });
                from("platform-http:/api/blocking")
                        .process(e -> {
                            threads.add(Thread.currentThread().getName());
                            Responses.raw(e, 200, "{}");
                        });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        waiting.forEach(f -> f.complete("stopped"));
        camel.stop();
    }

    /**
     * The route's asynchronous step, as the ingress's commit: the wait is completed by the test, from a thread of its
     * own, and the route goes on where the request came from ({@link HttpRequests#continuation}).
     */
    public final class Waiter {
        public CompletableFuture<String> await(Exchange exchange) {
            CompletableFuture<String> wait = new CompletableFuture<>();
            waiting.add(wait);
            CompletableFuture<String> result = new CompletableFuture<>();
            wait.whenCompleteAsync((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            }, HttpRequests.continuation(exchange));
            return result;
        }
    }

    @Test
    void requestsWaitingForAnAsynchronousStepHoldNoThreadAndAreAnsweredOnTheirEventLoop() throws Exception {
        int requests = 40; // far more than the one worker thread
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(post("/webhooks/test", "{}"));
        }
        await("every request inside the route at once").atMost(WAIT).until(() -> waiting.size() == requests);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        Thread completer = new Thread(() -> waiting.forEach(f -> f.complete("committed")), "not-an-event-loop");
        completer.start();
        completer.join();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"accepted\",\"after\":\"committed\"}");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("X-Answer")).hasValue("set by the route");
            assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("camel"));
        }
        // the step after the wait ran where the request arrived, not on the thread that completed the wait
        assertThat(threads).hasSize(requests).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
    }

    @Test
    void anAsynchronousFailureTakesTheRoutesErrorHandler() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post("/webhooks/test", "{}");
        await().atMost(WAIT).until(() -> waiting.size() == 1);
        waiting.peek().completeExceptionally(new IllegalStateException("the store is down"));
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.body()).contains("\"error\":\"store_unavailable\"");
    }

    @Test
    void aFailureNoHandlerTookIsAJson500ThatNamesNoInternals() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post("/webhooks/test", "{}");
        await().atMost(WAIT).until(() -> waiting.size() == 1);
        waiting.peek().complete("unhandled");
        HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"error\":\"internal_error\"").doesNotContain("UnsupportedOperation");
    }

    @Test
    void otherPathsRunOnCamelsWorkerThreads() throws Exception {
        HttpResponse<String> response = post("/api/blocking", "").get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(threads).singleElement().asString().startsWith("vert.x-worker-thread");
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
