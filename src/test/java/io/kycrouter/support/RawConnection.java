package io.kycrouter.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A raw HTTP/1.1 connection to the router, for what an HTTP client will not do: send the head of a request and
 * then its body byte by byte, or not at all, and read whatever comes back until the server closes.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** The head of a POST: request line, the given headers, Host, and nothing of the body. */
    public RawConnection head(String target, long contentLength, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return send(head.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends bytes; false when the server has closed the connection (a failed write counts as closed). */
    public boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException closed) {
            closedByServer = true;
            return false;
        }
    }

    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads what has come back for at most {@code millis}; true when the server has closed the connection (a reset
     * is a close too: the server closed with bytes of ours unread).
     */
    public boolean read(int millis) throws IOException {
        if (closedByServer) {
            return true;
        }
        socket.setSoTimeout(millis);
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            closedByServer = true;
        } catch (SocketTimeoutException stillOpen) {
            // nothing more for now
        } catch (SocketException reset) {
            closedByServer = true;
        }
        return closedByServer;
    }

    /** Reads until the server closes the connection; fails (SocketTimeoutException) when it has not within {@code millis}. */
    public String readUntilClosed(int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!read(200)) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("the server kept the connection open for " + millis + " ms; received: " + received());
            }
        }
        return received();
    }

    /**
     * Sends one byte of body every {@code intervalMillis}, reading meanwhile, until the server closes the connection;
     * fails (SocketTimeoutException) when it has not within {@code millis}.
     */
    public String trickleUntilClosed(int intervalMillis, int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (trySend(new byte[] {' '}) && !read(intervalMillis)) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("the server kept the connection open for " + millis + " ms; received: " + received());
            }
        }
        read(200);
        return received();
    }

    /** Everything received so far. */
    public String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** The body of the last answer received (what follows the last blank line). */
    public String lastBody() {
        String text = received();
        return text.substring(text.lastIndexOf("\r\n\r\n") + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
