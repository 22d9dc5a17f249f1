package io.kycrouter;

import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A sender trickling its body byte by byte is cut off with a JSON 408, and the server keeps serving others. */
class SlowSenderTest {

    @Test
    void aTrickledBodyGetsA408() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("slow"));
        settings.put("kyc.ingress.request-timeout-ms", "1500");
        try (RunningRouter router = RunningRouter.start(settings);
             Socket socket = new Socket("127.0.0.1", router.port())) {
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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

            byte[] body = RunningRouter.fixture("sumsub/applicantCreated.json");
            assertThat(router.post("/webhooks/sumsub", body, Signer.sumsub(body)).statusCode()).isEqualTo(200);
        }
    }
}
