package io.kycrouter.ingress;

import io.vertx.core.VertxOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook port's own servers ({@link WebhookServer}) on Camel's main HTTP server: the webhook routes run on their
 * connection's event loop ({@link EventLoopConsumer}), so the connections must be spread over every event loop, not
 * served by the one a single server started outside Vert.x would keep for all of them.
 */
class WebhookServerTest {

    private static final int EVENT_LOOPS = 4;

    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private CamelContext camel;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("vertxOptions", new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        camel.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, new WebhookHttpEngine());
        MainHttpServer main = new MainHttpServer();
        main.setCamelContext(camel);
        main.setHost("127.0.0.1");
        main.setPort(port);
        camel.addService(main);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/webhooks/{vendor}").process(e -> {
                    threads.add(Thread.currentThread().getName());
                    Responses.raw(e, 200, "{\"status\":\"accepted\"}");
                });
            }
        });
        camel.start();
        ErrorAnswers errors = new ErrorAnswers("1MB", 4096, 8192, (vendor, code) -> { });
        assertThat(new WebhookServer(false, Duration.ofSeconds(60), errors).takeOver(camel, main)).isTrue();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void newConnectionsAreServedOnEveryEventLoop() throws Exception {
        for (int i = 0; i < 4 * EVENT_LOOPS; i++) {
            assertThat(postOnNewConnection()).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"accepted\"}");
        }
        assertThat(threads).hasSize(EVENT_LOOPS).allMatch(name -> name.startsWith("vert.x-eventloop-thread"));
    }

    @Test
    void theServersCloseWithTheRouter() throws Exception {
        postOnNewConnection();
        camel.stop();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress("127.0.0.1", port)); // no server of ours listens any more
        }
    }

    private String postOnNewConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/test HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
