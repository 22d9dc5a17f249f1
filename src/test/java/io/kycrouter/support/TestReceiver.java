package io.kycrouter.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A real HTTP receiver (the JDK's HTTP server) standing in for a client's webhook endpoint. It records every
 * request and answers with a status chosen per request: "fail N times, then succeed", always one status, or
 * blocked until released.
 */
public final class TestReceiver implements AutoCloseable {

    /** One request as received, and what it was answered. */
    public record Request(String uri, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile java.util.function.ToIntFunction<String> status = body -> 200;
    private volatile Map<String, String> extraHeaders = Map.of();
    private volatile CountDownLatch gate;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    private TestReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            CountDownLatch waitFor = gate;
            if (waitFor != null) {
                waiting.incrementAndGet();
                try {
                    waitFor.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.decrementAndGet();
                }
            }
            String text = new String(body, StandardCharsets.UTF_8);
            int answer = status.applyAsInt(text);
            requests.add(new Request(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), text, answer));
            extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] reply = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    public static TestReceiver start() throws IOException {
        return new TestReceiver(0);
    }

    public static TestReceiver start(int port) throws IOException {
        return new TestReceiver(port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    /** Answers {@code failure} to the first {@code times} requests, then 200. */
    public TestReceiver failTimes(int times, int failure) {
        AtomicInteger seen = new AtomicInteger();
        status = body -> seen.incrementAndGet() <= times ? failure : 200;
        return this;
    }

    public TestReceiver always(int answer) {
        status = body -> answer;
        return this;
    }

    public TestReceiver answer(IntSupplier supplier) {
        status = body -> supplier.getAsInt();
        return this;
    }

    /** Answers each request with what {@code answer} says of its body. */
    public TestReceiver answerByBody(java.util.function.ToIntFunction<String> answer) {
        status = answer;
        return this;
    }

    public TestReceiver withHeaders(Map<String, String> headers) {
        extraHeaders = Map.copyOf(headers);
        return this;
    }

    /** Holds every request until {@link #release()}. */
    public TestReceiver block() {
        gate = new CountDownLatch(1);
        return this;
    }

    public void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** How many requests are held by {@link #block()} right now (as a list, for readable assertions). */
    public List<Integer> pendingRequests() {
        int n = waiting.get();
        return n == 0 ? List.of() : List.of(n);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long successes() {
        return requests.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).count();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
