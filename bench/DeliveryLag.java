import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery lag under a steady load (not a test): sends signed Sumsub webhooks to a running router at a fixed rate,
 * then asks bench/LagReceiver (the router's notifier target) for the lag from each event's ingress to its 2xx.
 * Prints "sent accepted delivered p50 p99 max" (milliseconds). bench/run.sh runs it.
 *
 *   java bench/DeliveryLag.java <router port> <receiver port> <rate per second> <seconds>
 */
public class DeliveryLag {

    public static void main(String[] args) throws Exception {
        int routerPort = Integer.parseInt(args[0]);
        int receiverPort = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        get(http, receiverPort, "/reset");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("bench-sumsub".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong accepted = new AtomicLong();
        int total = rate * seconds;
        long start = System.nanoTime();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[total];
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String body = "{\"applicantId\":\"lag-" + run + "-" + i + "\",\"inspectionId\":\"lag\",\"correlationId\":\"req-lag-" + run + "-" + i
                    + "\",\"externalUserId\":\"lag-user-" + i + "\",\"levelName\":\"basic-kyc-level\",\"type\":\"applicantReviewed\","
                    + "\"reviewResult\":{\"reviewAnswer\":\"GREEN\"},\"reviewStatus\":\"completed\",\"createdAtMs\":\"2024-01-01 00:00:00.000\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/webhooks/sumsub"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Payload-Digest", HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            answers[i] = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenAccept(r -> { if (r.statusCode() == 200) accepted.incrementAndGet(); });
        }
        CompletableFuture.allOf(answers).exceptionally(e -> null).join();
        String[] stats = get(http, receiverPort, "/stats").split(" ");
        for (int waited = 0; Long.parseLong(stats[0]) < accepted.get() && waited < 300; waited++) {
            Thread.sleep(100);
            stats = get(http, receiverPort, "/stats").split(" ");
        }
        System.out.println(total + " " + accepted.get() + " " + String.join(" ", stats));
    }

    static String get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
