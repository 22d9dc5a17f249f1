package io.kycrouter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request bodies in flight share a memory budget (kyc.ingress.body-memory), taken as they arrive: a large body that
 * does not fit while others hold the budget gets a JSON 503 with Retry-After as it arrives; small webhooks still pass;
 * the budget comes back when the holder's connection goes.
 */
class BodyMemoryTest {

    private static final int LARGE = 200_000;

    @Test
    void aLargeBodyThatDoesNotFitIsShedWith503WhileSmallWebhooksPassAndTheBudgetComesBack() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("body-memory"));
        settings.put("kyc.ingress.body-memory", "300000");
        settings.put("kyc.ingress.idle-timeout-ms", "1000"); // the shed request's sender never closes: the server does
        try (RunningRouter router = RunningRouter.start(settings)) {
            try (Socket holder = new Socket("127.0.0.1", router.port())) {
                // declares 200 KB and sends all but 10 bytes of it: holds 199,990 of the 300,000 bytes until it goes
                OutputStream out = holder.getOutputStream();
                out.write(head(LARGE).getBytes(StandardCharsets.US_ASCII));
                out.write("{\"type\":\"a".getBytes(StandardCharsets.US_ASCII));
                out.write(" ".repeat(LARGE - 20).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await("the holder's bytes").atMost(RunningRouter.WAIT)
                        .until(() -> metrics(router).contains("kyc_ingress_body_memory_bytes 199990.0"));

                String shed = rawAnswer(router.port(), LARGE);
                assertThat(shed).startsWith("HTTP/1.1 503");
                assertThat(shed).containsIgnoringCase("Retry-After: 1");
                assertThat(shed).contains("\"error\":\"overloaded\"");

                byte[] small = RunningRouter.example("sumsub/applicantCreated.json");
                assertThat(router.post("/webhooks/sumsub", small, Signer.sumsub(small)).statusCode()).isEqualTo(200);
            }
            // the holder's connection is gone: its reservation is given back
            await("the budget back").atMost(RunningRouter.WAIT).until(() -> metrics(router).contains("kyc_ingress_body_memory_bytes 0.0"));
            byte[] large = padded(RunningRouter.example("sumsub/applicantPending.json"), LARGE);
            HttpResponse<String> accepted = router.post("/webhooks/sumsub", large, Signer.sumsub(large));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(router.count("select count(*) from inbox")).isEqualTo(2);
            assertThat(metrics(router)).contains("kyc_ingress_shed_total{reason=\"body_memory\"} 1.0");
        }
    }

    @Test
    void aLargeBodyAloneAlwaysFitsWhateverTheBudget() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("body-memory-alone"));
        settings.put("kyc.ingress.body-memory", "1000");
        try (RunningRouter router = RunningRouter.start(settings)) {
            byte[] large = padded(RunningRouter.example("sumsub/applicantPending.json"), LARGE);
            assertThat(router.post("/webhooks/sumsub", large, Signer.sumsub(large)).statusCode()).isEqualTo(200);
        }
    }

    /** The head of a large webhook with a signature header (a forged one: the body is read before it is checked). */
    private static String head(int contentLength) {
        return "POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Payload-Digest: forged\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    /**
     * Sends a request declaring {@code contentLength} bytes, and that many, and reads what comes back until the
     * server closes the connection (a read timeout fails the test: the body dropped after the answer must not keep
     * it open past the idle timeout).
     */
    private static String rawAnswer(int port, int contentLength) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(head(contentLength).getBytes(StandardCharsets.US_ASCII));
            try {
                socket.getOutputStream().write(" ".repeat(contentLength).getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (SocketException closed) {
                // answered and closed while the body was still going: read the answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException stillOpen) {
                throw stillOpen;
            } catch (SocketException reset) {
                // closed with bytes of ours unread: a reset is a close too
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] padded(byte[] fixture, int size) throws Exception {
        ObjectNode body = (ObjectNode) RunningRouter.JSON.readTree(fixture);
        body.put("padding", "x".repeat(size - fixture.length));
        return RunningRouter.JSON.writeValueAsBytes(body);
    }

    private static String metrics(RunningRouter router) throws Exception {
        return router.management("/observe/metrics").body();
    }
}
