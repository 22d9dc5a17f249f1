import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens {@code count} connections to the router and leaves them idle: never used ({@code idle}) or kept alive after
 * one request ({@code keepalive}). After {@code holdSeconds} it prints how many the server has closed.
 *
 *   java faults/IdleSockets.java <port> <count> <holdSeconds> idle|keepalive
 */
public class IdleSockets {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long holdMillis = (long) (Double.parseDouble(args[2]) * 1000);
        boolean keepAlive = args.length > 3 && args[3].equals("keepalive");
        List<Socket> sockets = new ArrayList<>(count);
        int failed = 0;
        for (int i = 0; i < count; i++) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                if (keepAlive) { // one request on the connection, then nothing
                    s.getOutputStream().write("GET /observe/none HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.setSoTimeout(5_000);
                    s.getInputStream().read(new byte[4096]);
                }
                sockets.add(s);
            } catch (Exception e) {
                failed++;
            }
        }
        System.out.printf("opened %d (%s), failed %d%n", sockets.size(), keepAlive ? "kept alive after one request" : "never used", failed);
        Thread.sleep(holdMillis);
        int closed = 0;
        byte[] buffer = new byte[4096];
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(1);
                InputStream in = s.getInputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    // what was left of the answer
                }
                if (n < 0) {
                    closed++;
                }
            } catch (SocketTimeoutException stillOpen) {
                // open
            } catch (Exception reset) {
                closed++;
            }
            s.close();
        }
        System.out.printf("closed by the server after %.0f s: %d of %d%n", holdMillis / 1000.0, closed, sockets.size());
    }
}
