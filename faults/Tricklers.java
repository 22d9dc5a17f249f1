import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps {@code count} connections trickling unauthenticated webhooks to the router for {@code seconds}: each declares
 * a 1 MB body and sends it one byte a second; half carry a forged signature header (so the router must read the body
 * to know it is forged), half no credential at all. A connection the server closes is opened again at once, as an
 * attacker would. Prints the answers they got (by status) and how many connections were opened.
 *
 *   java faults/Tricklers.java <port> <count> <seconds>
 */
public class Tricklers {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long until = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
        List<Trickler> tricklers = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        int[] opened = {0};
        for (int i = 0; i < count; i++) {
            Trickler t = new Trickler(port, i % 2 == 0);
            t.open();
            opened[0]++;
            tricklers.add(t);
        }
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (System.nanoTime() < until) {
            long tick = System.nanoTime();
            for (Trickler t : tricklers) {
                boolean closed;
                try {
                    closed = !t.trickle(in, answers);
                } catch (IOException e) {
                    closed = true;
                }
                if (closed) {
                    t.close();
                    try {
                        t.open();
                        opened[0]++;
                    } catch (IOException e) {
                        answers.merge("connect failed", 1, Integer::sum);
                    }
                }
            }
            long left = 1_000_000_000L - (System.nanoTime() - tick);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
        for (Trickler t : tricklers) {
            t.close();
        }
        System.out.printf("tricklers: %d connections opened; answers %s%n", opened[0], answers);
    }

    static final class Trickler {
        final int port;
        final boolean forged;
        SocketChannel channel;
        final StringBuilder answer = new StringBuilder();

        Trickler(int port, boolean forged) {
            this.port = port;
            this.forged = forged;
        }

        void open() throws IOException {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            answer.setLength(0);
            String head = "POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (forged ? "X-Payload-Digest: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n" : "")
                    + "Content-Length: 1048000\r\n\r\n{";
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        }

        /** Reads what came back and sends one more byte; false when the server has closed the connection. */
        boolean trickle(ByteBuffer in, Map<String, Integer> answers) throws IOException {
            in.clear();
            int n = channel.read(in);
            if (n > 0) {
                answer.append(new String(in.array(), 0, n, StandardCharsets.US_ASCII));
                int status = answer.indexOf("HTTP/1.1 ");
                if (status >= 0 && answer.length() >= status + 12) {
                    answers.merge(answer.substring(status + 9, status + 12), 1, Integer::sum);
                    answer.setLength(0); // counted once; the rest of the answer is not looked at
                    answer.append("counted");
                }
            }
            if (n < 0) {
                return false;
            }
            channel.write(ByteBuffer.wrap(new byte[] {' '}));
            return true;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }
}
