package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sender trickling its body byte by byte is cut off with a JSON 408, and the server keeps serving others;
 * connections left idle, never used or kept alive after their answer, are closed.
 */
class SlowSenderTest {

    @Test
    void idleConnectionsAreClosedWhetherNeverUsedOrKeptAliveAfterTheirAnswer() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("idle"));
        settings.put("kyc.ingress.idle-timeout-ms", "1000");
        try (RunningRouter router = RunningRouter.start(settings);
             Socket neverUsed = new Socket("127.0.0.1", router.port());
             Socket keptAlive = new Socket("127.0.0.1", router.port())) {
            byte[] body = RunningRouter.example("sumsub/applicantCreated.json");
            StringBuilder request = new StringBuilder("POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
            Signer.sumsub(body).forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            keptAlive.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            keptAlive.getOutputStream().write(body);
            keptAlive.getOutputStream().flush();

            long start = System.nanoTime();
            assertThat(readUntilClosed(neverUsed)).isEmpty();
            assertThat(readUntilClosed(keptAlive)).startsWith("HTTP/1.1 200").contains("\"status\":\"accepted\"");
            assertThat((System.nanoTime() - start) / 1_000_000).as("closed within a few idle timeouts").isLessThan(10_000);
            assertThat(router.post("/webhooks/sumsub", body, Signer.sumsub(body)).statusCode()).isEqualTo(200); // still serving
        }
    }

    /** Everything the server sends until it closes the connection (fails after 15 s). */
    private static String readUntilClosed(Socket socket) throws Exception {
        socket.setSoTimeout(15_000);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) { // a SocketTimeoutException fails the test: the server kept it open
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (java.net.SocketException reset) {
            // closed with bytes of ours unread: a reset is a close too
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTrickledBodyGetsA408() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("slow"));
        settings.put("kyc.ingress.request-timeout-ms", "1500");
        settings.put("kyc.ingress.idle-timeout-ms", "1000"); // once the sender stops, the connection is closed
        try (RunningRouter router = RunningRouter.start(settings);
             Socket socket = new Socket("127.0.0.1", router.port())) {
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // a signature header (forged) so that the body is read: without one the answer is an early 401
            out.write(("POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Payload-Digest: forged\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline && !answer.toString(StandardCharsets.UTF_8).contains("}")) {
                try {
                    out.write('{'); // one byte at a time, much slower than the timeout allows
                    out.flush();
                } catch (java.io.IOException closed) {
                    // the server closed the connection
                }
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    answer.write(buffer, 0, n);
                } catch (SocketTimeoutException nothingYet) {
                    // keep trickling
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            assertThat(text).startsWith("HTTP/1.1 408");
            assertThat(text).contains("\"error\":\"request_timeout\"");
            socket.setSoTimeout(5_000); // the sender stops: the connection is closed, not left waiting for the rest
            try {
                while (in.read(buffer) >= 0) {
                    // drain until the server closes it; a read timeout fails the test
                }
            } catch (SocketException reset) {
                // closed with bytes of ours unread: a reset is a close too
            }

            byte[] body = RunningRouter.example("sumsub/applicantCreated.json");
            assertThat(router.post("/webhooks/sumsub", body, Signer.sumsub(body)).statusCode()).isEqualTo(200);
        }
    }
}
