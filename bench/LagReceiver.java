import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's notifier target: answers every POST /hook with 204 and records the delivery lag, from the
 * canonical event's receivedAt (taken when the webhook arrived, just before the inbox commit) to now.
 * GET /reset clears the figures; GET /stats answers "count p50 p99 max" in milliseconds.
 *
 *   java bench/LagReceiver.java <port>
 */
public class LagReceiver {

    static final Pattern RECEIVED_AT = Pattern.compile("\"receivedAt\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        ConcurrentLinkedQueue<Long> lagsMicros = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = RECEIVED_AT.matcher(body);
            if (m.find()) {
                lagsMicros.add(Duration.between(Instant.parse(m.group(1)), Instant.now()).toNanos() / 1000);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/reset", exchange -> {
            lagsMicros.clear();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/stats", exchange -> {
            List<Long> lags = new ArrayList<>(lagsMicros);
            Collections.sort(lags);
            String text = lags.isEmpty() ? "0 0 0 0" : lags.size() + " " + ms(lags, 0.50) + " " + ms(lags, 0.99) + " " + ms(lags, 1.0);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    static String ms(List<Long> sorted, double q) {
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1);
        return String.format("%.1f", sorted.get(Math.max(0, i)) / 1000.0);
    }
}
