package io.kycrouter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.support.RawConnection;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Senders that declare large bodies and trickle them, with a forged credential or none, cannot take the body memory
 * budget from signed webhooks; a body that makes no progress gets a 408 and its connection is closed.
 */
class TricklingSendersTest {

    private static final int DECLARED = 150_000;

    @Test
    void signedWebhooksAreAcceptedBesideSendersTricklingLargeBodies() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("trickling"));
        settings.put("kyc.ingress.body-memory", "300000"); // two of the declared bodies fill it
        List<RawConnection> tricklers = new CopyOnWriteArrayList<>();
        // a byte on every connection every 200 ms, at a fixed rate: always some progress
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RunningRouter router = RunningRouter.start(settings)) {
            for (int i = 0; i < 8; i++) {
                // half with a forged signature (read, and refused once their body has arrived), half with none
                // (Expect: 100-continue, so that each hears from the server once its head has been dealt with)
                Map<String, String> headers = i % 2 == 0
                        ? Map.of("Content-Type", "application/json", "Expect", "100-continue", "X-Payload-Digest", "forged")
                        : Map.of("Content-Type", "application/json", "Expect", "100-continue");
                tricklers.add(new RawConnection(router.port()).head("/webhooks/sumsub", DECLARED, headers));
            }
            for (RawConnection c : tricklers) {
                await("the server's word on a trickler's head").atMost(RunningRouter.WAIT).until(() -> read(c) && !c.received().isEmpty());
            }
            trickle.scheduleAtFixedRate(() -> tricklers.forEach(c -> c.trySend(new byte[] {' '})), 0, 200, TimeUnit.MILLISECONDS);

            for (int i = 0; i < 20; i++) {
                byte[] body = event(i);
                HttpResponse<String> answer = router.post("/webhooks/sumsub", body, Signer.sumsub(body));
                assertThat(answer.statusCode()).as("signed webhook %d: %s", i, answer.body()).isEqualTo(200);
            }
            assertThat(router.count("select count(*) from inbox")).isEqualTo(20);
            assertThat(bodyMemory(router)).as("what the tricklers hold: what they sent").isLessThan(DECLARED);
        } finally {
            trickle.shutdownNow();
            trickle.awaitTermination(10, TimeUnit.SECONDS);
            for (RawConnection c : tricklers) {
                c.close();
            }
        }
    }

    @Test
    void aBodyThatMakesNoProgressGetsA408AndItsConnectionIsClosed() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("no-progress"));
        settings.put("kyc.ingress.body-progress-timeout-ms", "1000"); // the request timeout (30 s) and idle timeout (60 s) as shipped
        try (RunningRouter router = RunningRouter.start(settings);
             RawConnection stalled = new RawConnection(router.port())) {
            stalled.head("/webhooks/sumsub", 1000, Map.of("Content-Type", "application/json", "X-Payload-Digest", "forged"))
                    .send("{\"type\":\"a".getBytes());
            String answer = stalled.readUntilClosed(15_000); // then nothing: answered and closed well before 15 s
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(stalled.lastBody()).contains("\"error\":\"request_timeout\"");

            byte[] body = event(0);
            assertThat(router.post("/webhooks/sumsub", body, Signer.sumsub(body)).statusCode()).isEqualTo(200);
            await("the stalled body's bytes given back").atMost(RunningRouter.WAIT).until(() -> bodyMemory(router) == 0);
        }
    }

    @Test
    void aSenderThatGoesOnTricklingAfterItsAnswerIsClosed() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("linger"));
        settings.put("kyc.ingress.body-progress-timeout-ms", "1000");
        try (RunningRouter router = RunningRouter.start(settings);
             RawConnection sender = new RawConnection(router.port())) {
            sender.head("/webhooks/sumsub", 1_000_000, Signer.json());
            // a byte every 200 ms, never idle: only the server's lingering close ends it
            String answer = sender.trickleUntilClosed(200, 15_000);
            assertThat(answer).startsWith("HTTP/1.1 401");
            assertThat(answer).containsIgnoringCase("Connection: close");
        }
    }

    /** Reads what has come so far; a read that times out is "nothing yet" (RawConnection.read), a failure fails. */
    private static boolean read(RawConnection c) throws java.io.IOException {
        c.read(50);
        return true;
    }

    static byte[] event(int i) throws Exception {
        ObjectNode body = (ObjectNode) RunningRouter.JSON.readTree(RunningRouter.example("sumsub/applicantCreated.json"));
        body.put("correlationId", "req-flood-" + i);
        return RunningRouter.JSON.writeValueAsBytes(body);
    }

    static String metrics(RunningRouter router) throws Exception {
        return router.management("/observe/metrics").body();
    }

    private static long bodyMemory(RunningRouter router) throws Exception {
        for (String line : metrics(router).split("\n")) {
            if (line.startsWith("kyc_ingress_body_memory_bytes ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return -1;
    }
}
