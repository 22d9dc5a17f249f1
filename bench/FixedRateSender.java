import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load (not a test): sends the pre-signed requests of a .jsonl file (bench/GenerateRequests.java) to a
 * running router at a constant rate, request i due at start + i / rate whatever happened to the earlier ones, as
 * vendors send: they do not wait for the router's previous answer. Unlike wrk's closed loop, a slow answer does not
 * slow the sender down. Each request's latency runs from its INTENDED send time, not from when a connection was free
 * to send it: a stall of the router shows in the latency of every request due during it (coordinated omission is
 * not hidden). Plain HTTP/1.1 over several keep-alive sockets, one thread each, taking the next due request in turn;
 * the requests are formatted before the clock starts.
 *
 *   java -cp target/kyc-webhook-router.jar bench/FixedRateSender.java <port> <requests.jsonl> <rate/s> <seconds> [connections] [warm-up seconds] [warm-up path]
 *
 * Prints one line: "due answered 2xx non2xx errors seconds rate p50 p99 p99.9 max warm-up-2xx" (latencies in ms;
 * errors: no answer, counted with the non-2xx) of the measured seconds, then the 2xx of the warm-up. Before them, for the warm-up seconds (0 unless given), it
 * sends at the same rate without counting: the sender is a JVM of its own, started cold on the same cores, and its
 * first seconds measure its own JIT compiler more than the router (wrk2 leaves out a calibration period likewise).
 * With a warm-up path, the warm-up's requests go there instead (bench/run.sh: the bare route), so the router's own
 * pipeline goes from idle to the fixed rate within the measured seconds, and its transient counts.
 * Sends min(rate x (warm-up + seconds), requests in the file) requests; the line counts the measured ones.
 * <p>
 * With the environment variable SENDER_TIMELINE set to a file, also writes the measured seconds' latency over time to
 * it, one line per 100 ms of intended send times: "ms-from-start requests p50 max" (ms): where the tail comes from (a
 * stall every second is a periodic task of the router, an irregular one a collection or the machine).
 */
public class FixedRateSender {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int warmUpSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        List<byte[]> requests = read(file, port, (int) Math.min(Integer.MAX_VALUE, (long) (rate * (warmUpSeconds + seconds))));
        int due = requests.size();
        int firstMeasured = (int) Math.min(due, (long) (rate * warmUpSeconds)); // the requests before it warm up only
        if (args.length > 6) { // the warm-up's requests go to another path: the measured ones meet a router that was idle
            for (int i = 0; i < firstMeasured; i++) {
                requests.set(i, toPath(requests.get(i), args[6]));
            }
        }

        long[] latency = new long[due];
        int[] status = new int[due];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime() + 200_000_000L; // every connection open before the first request is due
        long[] lastAnswer = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int slot = c;
            Thread t = new Thread(() -> {
                Connection connection = null;
                try {
                    connection = new Connection(port);
                } catch (IOException e) {
                    // opened on first use below
                }
                for (int i; (i = next.getAndIncrement()) < due; ) {
                    long intended = start + (long) (i * 1e9 / rate);
                    for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        if (connection == null) {
                            connection = new Connection(port);
                        }
                        status[i] = connection.exchange(requests.get(i));
                        if (connection.closed) {
                            connection = null;
                        }
                    } catch (IOException e) {
                        status[i] = -1;
                        if (connection != null) {
                            connection.close();
                        }
                        connection = null;
                    }
                    long now = System.nanoTime();
                    latency[i] = now - intended;
                    lastAnswer[slot] = now;
                }
                if (connection != null) {
                    connection.close();
                }
            }, "sender-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = Arrays.stream(lastAnswer).max().orElse(start);
        long measuredStart = start + (long) (firstMeasured * 1e9 / rate);
        int ok = 0, non2xx = 0, errors = 0;
        for (int i = firstMeasured; i < due; i++) {
            int s = status[i];
            if (s >= 200 && s < 300) {
                ok++;
            } else if (s > 0) {
                non2xx++;
            } else {
                errors++;
            }
        }
        int warmUpOk = 0;
        for (int i = 0; i < firstMeasured; i++) {
            warmUpOk += status[i] >= 200 && status[i] < 300 ? 1 : 0;
        }
        long[] sorted = Arrays.copyOfRange(latency, firstMeasured, due);
        Arrays.sort(sorted);
        double secs = (end - measuredStart) / 1e9;
        System.out.printf(Locale.ROOT, "%d %d %d %d %d %.1f %.0f %.2f %.2f %.2f %.2f %d%n", due - firstMeasured, ok + non2xx, ok,
                non2xx, errors, secs, (ok + non2xx) / secs, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999), ms(sorted, 1.0),
                warmUpOk);
        String timeline = System.getenv("SENDER_TIMELINE");
        if (timeline != null && !timeline.isBlank()) {
            writeTimeline(Path.of(timeline), latency, firstMeasured, due, rate);
        }
    }

    /** Per 100 ms window of intended send times: its requests, their median and largest latency. */
    static void writeTimeline(Path file, long[] latency, int firstMeasured, int due, double rate) throws IOException {
        int perWindow = Math.max(1, (int) Math.round(rate / 10));
        StringBuilder out = new StringBuilder();
        for (int from = firstMeasured; from < due; from += perWindow) {
            long[] window = Arrays.copyOfRange(latency, from, Math.min(due, from + perWindow));
            Arrays.sort(window);
            out.append(String.format(Locale.ROOT, "%d %d %.2f %.2f%n", (long) ((from - firstMeasured) * 1000 / rate),
                    window.length, ms(window, 0.5), ms(window, 1.0)));
        }
        Files.writeString(file, out);
    }

    static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    /** The same request sent to another path. */
    static byte[] toPath(byte[] request, String path) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int from = text.indexOf(' ') + 1;
        int to = text.indexOf(' ', from);
        return (text.substring(0, from) + path + text.substring(to)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first {@code limit} requests of the file, each formatted as the bytes of an HTTP/1.1 request. */
    static List<byte[]> read(Path file, int port, int limit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<byte[]> requests = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; requests.size() < limit && (line = lines.readLine()) != null; ) {
                JsonNode r = json.readTree(line);
                byte[] body = r.get("body").asText().getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder("POST ").append(r.get("path").asText()).append(" HTTP/1.1\r\n")
                        .append("Host: 127.0.0.1:").append(port).append("\r\n");
                for (Map.Entry<String, JsonNode> header : r.get("headers").properties()) {
                    head.append(header.getKey()).append(": ").append(header.getValue().asText()).append("\r\n");
                }
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
                bytes.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                bytes.write(body);
                requests.add(bytes.toByteArray());
            }
        }
        return requests;
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads its answer (Content-Length or chunked). */
    static final class Connection {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        boolean closed;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> closed |= value.contains("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length > 0) {
                skip(length);
            }
            if (closed) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed by the router");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed by the router");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
