package io.kycrouter.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a plain socket, for requests no HTTP client would send (malformed, ambiguous, oversized). */
public final class RawHttp {

    /** One answer as read off the wire: the status, headers (lower-case names), body, and whether the server closed. */
    public record Answer(String statusLine, int status, Map<String, String> headers, String body, boolean closed, String raw) {

        public JsonNode json() throws IOException {
            return RunningRouter.JSON.readTree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} on a new connection and reads everything until the server closes it (15 s at most). */
    public static Answer untilClosed(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            String raw = readUntilClosed(socket);
            return parse(raw, true);
        }
    }

    public static Answer untilClosed(int port, String request) throws IOException {
        return untilClosed(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Everything the server sends until it closes the connection; a SocketTimeoutException if it keeps it open. */
    public static String readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new SocketTimeoutException("the server kept the connection open after sending: "
                    + received.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketException reset) {
            // closed with bytes of ours unread: a reset is a close too
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one answer (headers and a Content-Length body) from a connection that stays open. */
    public static Answer one(Socket socket) throws IOException {
        socket.setSoTimeout(15_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            if (h.length >= 4 && h[h.length - 4] == '\r' && h[h.length - 3] == '\n' && h[h.length - 2] == '\r' && h[h.length - 1] == '\n') {
                break;
            }
        }
        Answer headers = parse(head.toString(StandardCharsets.ISO_8859_1), false);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.header("transfer-encoding"))) {
            while (true) {
                String line = line(in);
                body.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(line.split(";")[0].trim(), 16);
                body.write(in.readNBytes(size + 2));
                if (size == 0) {
                    break;
                }
            }
        } else if (headers.header("content-length") != null) {
            body.write(in.readNBytes(Integer.parseInt(headers.header("content-length"))));
        }
        return parse(head.toString(StandardCharsets.ISO_8859_1) + body.toString(StandardCharsets.ISO_8859_1), false);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    static Answer parse(String raw, boolean closed) {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/") || end < 0) {
            return new Answer(raw, -1, Map.of(), "", closed, raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(lines[0], Integer.parseInt(lines[0].split(" ")[1]), headers, body, closed, raw);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return body.toString();
    }
}
