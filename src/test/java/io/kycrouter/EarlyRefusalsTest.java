package io.kycrouter;

import io.kycrouter.support.RawConnection;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook whose head already decides the route's answer (no credential where the vendor's schemes carry it outside
 * the body, an unknown vendor) is answered at once, before its body is read, with the route's own JSON answer, and
 * counted as the route counts it; one whose credential may still be in the body, the query or the path is read.
 */
class EarlyRefusalsTest {

    private static final int DECLARED = 1_000_000; // under the vendors' limit, never sent

    @Test
    void aWebhookWithoutItsHeaderCredentialGetsTheRoutes401BeforeItsBody() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("early-401"));
        settings.put("kyc.ingress.body-progress-timeout-ms", "1000"); // the sender that never sends its body is closed soon
        try (RunningRouter router = RunningRouter.start(settings)) {
            byte[] body = TricklingSendersTest.event(0);
            HttpResponse<String> byTheRoute = router.post("/webhooks/sumsub", body, Signer.json());
            assertThat(byTheRoute.statusCode()).isEqualTo(401);

            for (String vendor : new String[] {"sumsub", "didit", "veratad", "argos"}) {
                try (RawConnection head = new RawConnection(router.port())) {
                    head.head("/webhooks/" + vendor, DECLARED, Signer.json()); // the headers, none of the body
                    String answer = head.readUntilClosed(15_000);
                    assertThat(answer).as(vendor).startsWith("HTTP/1.1 401");
                    assertThat(answer).as(vendor).containsIgnoringCase("Connection: close");
                    assertThat(answer).as(vendor).containsIgnoringCase("Content-Type: application/json");
                    assertThat(RunningRouter.JSON.readTree(head.lastBody()).get("error").asText()).as(vendor).isEqualTo("unauthorized");
                    if (vendor.equals("sumsub")) {
                        assertThat(head.lastBody()).isEqualTo(byTheRoute.body()); // the route's own answer
                    }
                }
            }
            assertThat(TricklingSendersTest.metrics(router))
                    .contains("kyc_webhooks_received_total{outcome=\"unauthorized\",vendor=\"sumsub\"} 2.0")
                    .contains("kyc_webhooks_received_total{outcome=\"unauthorized\",vendor=\"argos\"} 1.0");
        }
    }

    @Test
    void anUnknownVendorGetsTheRoutes404BeforeItsBody() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("early-404"));
        settings.put("kyc.ingress.body-progress-timeout-ms", "1000");
        try (RunningRouter router = RunningRouter.start(settings);
             RawConnection head = new RawConnection(router.port())) {
            byte[] body = TricklingSendersTest.event(0);
            HttpResponse<String> byTheRoute = router.post("/webhooks/acme", body, Signer.sumsub(body));
            head.head("/webhooks/acme", DECLARED, Signer.sumsub(body));
            String answer = head.readUntilClosed(15_000);
            assertThat(answer).startsWith("HTTP/1.1 404");
            assertThat(head.lastBody()).isEqualTo(byTheRoute.body());
        }
    }

    @Test
    void aCredentialThatMayBeInTheBodyQueryOrPathIsLookedForAfterTheBody() throws Exception {
        try (RunningRouter router = RunningRouter.start(RunningRouter.tempDir("early-pass"))) {
            // Expect: 100-continue: a head that passes is told to send its body, one refused is answered instead
            Map<String, String> expect = new LinkedHashMap<>(Signer.json());
            expect.put("Expect", "100-continue");
            String[] read = {"/webhooks/treezor", "/webhooks/argos?token=wrong", "/webhooks/argos/wrong"};
            for (String target : read) {
                byte[] body = "{\"webhook\":\"x\"}".getBytes(StandardCharsets.UTF_8);
                try (RawConnection sender = new RawConnection(router.port())) {
                    sender.head(target, body.length, expect);
                    await("an answer to the head of " + target).atMost(RunningRouter.WAIT).until(() -> readSome(sender).contains("\r\n\r\n"));
                    assertThat(sender.received()).as(target).startsWith("HTTP/1.1 100");
                    sender.send(body);
                    await("the route's answer to " + target).atMost(RunningRouter.WAIT).until(() -> readSome(sender).contains("}"));
                    assertThat(sender.received()).as(target).contains("HTTP/1.1 401").contains("\"error\":\"unauthorized\"");
                }
            }
            try (RawConnection sender = new RawConnection(router.port())) {
                sender.head("/webhooks/sumsub", 100, expect);
                await("the early answer").atMost(RunningRouter.WAIT).until(() -> readSome(sender).contains("}"));
                assertThat(sender.received()).startsWith("HTTP/1.1 401"); // no 100 Continue: the body is never sent
            }
        }
    }

    /** What the server has sent so far; a read that times out is "nothing yet" (RawConnection.read), a failure fails. */
    private static String readSome(RawConnection c) throws java.io.IOException {
        c.read(50);
        return c.received();
    }
}
