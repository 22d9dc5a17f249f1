import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery lag benchmark (not a test): starts the router jar on a fresh H2 database with one HTTP notifier
 * target pointing at an in-process receiver, sends signed Sumsub webhooks at a steady rate over loopback, and
 * prints the lag from the event's receivedAt (set just before the inbox commit) to the receiver's 2xx: p50, p99.
 *
 *   java bench/DeliveryLag.java [rate per second, default 100] [seconds, default 20]
 *
 * Run from the repository root after `mvn -B -q -DskipTests package`.
 */
public class DeliveryLag {

    static final Pattern RECEIVED_AT = Pattern.compile("\"receivedAt\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path jar = Path.of("target/kyc-webhook-router.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -q -DskipTests package");
        }
        ConcurrentLinkedQueue<Long> lagsMicros = new ConcurrentLinkedQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Instant now = Instant.now();
            Matcher m = RECEIVED_AT.matcher(body);
            if (m.find()) {
                lagsMicros.add(Duration.between(Instant.parse(m.group(1)), now).toNanos() / 1000);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        int port = freePort();
        Path data = Files.createTempDirectory("kyc-bench-lag");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("router.log").toFile());
        pb.environment().put("KYC_HTTP_PORT", String.valueOf(port));
        pb.environment().put("KYC_DB_URL", "jdbc:h2:file:" + data.resolve("kyc") + ";DB_CLOSE_ON_EXIT=FALSE");
        pb.environment().put("KYC_SUMSUB_SECRET", "bench-secret");
        // the shipped configuration plus one HTTP target pointing at the receiver
        Path config = data.resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"))
                + "\nkyc.notify.targets = bench\n"
                + "kyc.notify.target.bench.type = http\n"
                + "kyc.notify.target.bench.url = http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                + "kyc.notify.target.bench.secret = bench-notify-secret\n");
        pb.environment().put("KYC_CONFIG", config.toString());
        Process router = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(16)).build();
            waitUntilUp(http, port);
            // warm-up: the JIT, the pools and the HTTP client; not measured
            send(http, port, "warm", rate * 3, rate).forEach(java.util.concurrent.CompletableFuture::join);
            long warmDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lagsMicros.size() < rate * 3 && System.nanoTime() < warmDeadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            lagsMicros.clear();
            int total = rate * seconds;
            List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> inFlight = send(http, port, "run", total, rate);
            int accepted = 0;
            for (var f : inFlight) {
                accepted += f.join().statusCode() == 200 ? 1 : 0;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lagsMicros.size() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<Long> lags = new ArrayList<>(lagsMicros);
            Collections.sort(lags);
            System.out.printf("delivery lag, ingress commit -> receiver 2xx, at %d webhooks/s for %d s (H2, one HTTP target)%n", rate, seconds);
            System.out.printf("  sent %d, accepted %d, delivered %d%n", total, accepted, lags.size());
            if (!lags.isEmpty()) {
                System.out.printf("  p50 %.1f ms   p99 %.1f ms   max %.1f ms%n", pct(lags, 50), pct(lags, 99), lags.get(lags.size() - 1) / 1000.0);
            }
        } finally {
            router.destroy();
            router.waitFor();
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
        }
        System.exit(0);
    }

    /** Sends {@code count} signed Sumsub webhooks at {@code rate} per second, each a new event. */
    static List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> send(HttpClient http, int port, String run,
                                                                                  int count, int rate) throws Exception {
        long start = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long wait = start + (long) (i * (1e9 / rate)) - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            byte[] body = ("{\"applicantId\":\"bench-" + (i % 500) + "\",\"correlationId\":\"" + run + "-" + i
                    + "\",\"type\":\"applicantPending\",\"createdAtMs\":\"2024-01-01 00:00:00.000\",\"externalUserId\":\"u\"}")
                    .getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/sumsub"))
                    .header("Content-Type", "application/json")
                    .header("X-Payload-Digest", hmacHex(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        return inFlight;
    }

    static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    static String hmacHex(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("bench-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void waitUntilUp(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/sumsub")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("router did not start; see its log");
    }
}
