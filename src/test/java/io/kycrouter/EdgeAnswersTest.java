package io.kycrouter;

import io.kycrouter.support.RawHttp;
import io.kycrouter.support.RawHttp.Answer;
import io.kycrouter.support.RunningRouter;
import io.kycrouter.support.Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook port's answers at the edges, over raw sockets: every error is the router's JSON error (including those
 * the HTTP codec gives before any route: 400, 414, 431, and unknown paths), a request whose body length is ambiguous
 * (Content-Length with Transfer-Encoding, a transfer coding other than chunked) is refused and its connection closed,
 * and cleartext HTTP/2 is off unless configured. The management port keeps working.
 */
class EdgeAnswersTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = RunningRouter.start(RunningRouter.tempDir("edges"));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static void assertJsonError(Answer answer, int status, String error) throws Exception {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.raw()).startsWith("application/json");
        assertThat(answer.json().get("status").asText()).isEqualTo("rejected");
        assertThat(answer.json().get("error").asText()).as(answer.raw()).isEqualTo(error);
        assertThat(answer.json().get("message").asText()).isNotBlank();
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    static String post(String target, String headers, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body;
    }

    @Test
    void unknownPathsGetAJson404() throws Exception {
        for (String path : List.of("/", "/webhooks", "/webhooks/", "/webhooks/a/b/c", "/webhooks/a/b/c/d/e/f", "/nothing/here",
                "/api", "/api/unknown", "/favicon.ico", "/webhooks//")) {
            for (String method : List.of("GET", "POST", "HEAD")) {
                Answer answer = RawHttp.untilClosed(router.port(), method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n");
                assertThat(answer.status()).as(method + " " + path + ": " + answer.raw()).isEqualTo(404);
                assertThat(answer.header("Content-Type")).as(method + " " + path).startsWith("application/json");
                if (!method.equals("HEAD")) {
                    assertThat(answer.json().get("error").asText()).as(method + " " + path).isIn("not_found", "unknown_vendor");
                }
            }
        }
        assertJsonError(RawHttp.untilClosed(router.port(), get("/nothing/here")), 404, "not_found");
        assertJsonError(RawHttp.untilClosed(router.port(), get("/webhooks/nobody")), 404, "unknown_vendor");
    }

    @Test
    void wrongMethodsGetAJson405() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW")) {
            Answer answer = RawHttp.untilClosed(router.port(), method + " /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            assertJsonError(answer, 405, "method_not_allowed");
            assertThat(answer.header("Allow")).isEqualTo("POST");
        }
    }

    @Test
    void aTooLongUriGetsAJson414AndTheConnectionIsClosed() throws Exception {
        Answer answer = RawHttp.untilClosed(router.port(), get("/webhooks/sumsub?x=" + "a".repeat(10_000)));
        assertJsonError(answer, 414, "uri_too_long");
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void tooLargeHeadersGetAJson431AndTheConnectionIsClosed() throws Exception {
        Answer answer = RawHttp.untilClosed(router.port(), "POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "b".repeat(20_000) + "\r\nContent-Length: 0\r\n\r\n");
        assertJsonError(answer, 431, "headers_too_large");
        Answer many = RawHttp.untilClosed(router.port(), "POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Many: 0123456789012345678901234567890123456789\r\n".repeat(400) + "Content-Length: 0\r\n\r\n");
        assertJsonError(many, 431, "headers_too_large");
    }

    @Test
    void aMalformedRequestGetsAJson400AndTheConnectionIsClosed() throws Exception {
        assertJsonError(RawHttp.untilClosed(router.port(), post("/webhooks/sumsub", "Content-Length: abc\r\n", "{}")), 400, "bad_request");
        assertJsonError(RawHttp.untilClosed(router.port(), "POST /webhooks/sumsub HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n"
                + "Content-Length: 0\r\n\r\n"), 400, "bad_request");
        assertJsonError(RawHttp.untilClosed(router.port(), "GET /webhooks/sumsub HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n"), 400, "bad_request");
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndTheConnectionClosed() throws Exception {
        // the chunked body is empty and a second request follows it: a server that let Transfer-Encoding win and kept
        // the connection would answer that second request too (request smuggling)
        String smuggled = "GET /observe/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        Answer answer = RawHttp.untilClosed(router.port(), post("/webhooks/sumsub",
                "Content-Length: " + (5 + smuggled.length()) + "\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" + smuggled));
        assertJsonError(answer, 400, "bad_request");
        assertThat(answer.closed()).isTrue();
        assertThat(answer.raw().split("HTTP/1\\.1 ", -1)).as("one answer only: " + answer.raw()).hasSize(2);

        // Content-Length first or last, and with a coding other than chunked
        assertJsonError(RawHttp.untilClosed(router.port(), post("/webhooks/sumsub",
                "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")), 400, "bad_request");
        assertJsonError(RawHttp.untilClosed(router.port(), post("/webhooks/sumsub",
                "Content-Length: 2\r\nTransfer-Encoding: gzip\r\n", "{}")), 400, "bad_request");
    }

    @Test
    void aTransferCodingOtherThanChunkedIsRefusedAndTheConnectionClosed() throws Exception {
        for (String coding : List.of("gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked, chunked", "xchunked", "chunked;ext=1")) {
            Answer answer = RawHttp.untilClosed(router.port(), post("/webhooks/sumsub", "Transfer-Encoding: " + coding + "\r\n", "0\r\n\r\n"));
            assertJsonError(answer, 400, "bad_request");
            assertThat(answer.raw().split("HTTP/1\\.1 ", -1)).as(coding + ": one answer only: " + answer.raw()).hasSize(2);
        }
        // Transfer-Encoding given twice (the codings of both count)
        assertJsonError(RawHttp.untilClosed(router.port(), post("/webhooks/sumsub",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n")), 400, "bad_request");
        // HTTP/1.0 has no transfer codings (RFC 9112 6.1: its framing is faulty)
        assertJsonError(RawHttp.untilClosed(router.port(), "POST /webhooks/sumsub HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "bad_request");
    }

    @Test
    void aChunkedDeliveryIsStillAccepted() throws Exception {
        byte[] body = ("{\"applicantId\":\"edge-chunked\",\"correlationId\":\"c\",\"type\":\"applicantCreated\","
                + "\"createdAtMs\":\"2024-01-01 00:00:00.000\"}").getBytes(StandardCharsets.UTF_8);
        String digest = Signer.sumsub(body).get("X-Payload-Digest");
        String half = new String(body, 0, 20, StandardCharsets.UTF_8);
        String rest = new String(body, 20, body.length - 20, StandardCharsets.UTF_8);
        String chunked = Integer.toHexString(half.length()) + "\r\n" + half + "\r\n" + Integer.toHexString(rest.length()) + "\r\n"
                + rest + "\r\n0\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            socket.getOutputStream().write(post("/webhooks/sumsub", "X-Payload-Digest: " + digest
                    + "\r\nTransfer-Encoding: Chunked\r\n", chunked).getBytes(StandardCharsets.UTF_8));
            Answer answer = RawHttp.one(socket);
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            assertThat(answer.json().get("status").asText()).isEqualTo("accepted");
        }
    }

    @Test
    void anH2cUpgradeIsServedAsHttp11() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            socket.getOutputStream().write(("GET /api/deliveries HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
                    + "Authorization: Bearer " + RunningRouter.OPERATOR_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Answer answer = RawHttp.one(socket);
            assertThat(answer.statusLine()).as(answer.raw()).startsWith("HTTP/1.1 200");
            assertThat(answer.json().has("deliveries")).isTrue();
        }
    }

    @Test
    void anHttp2PriorKnowledgePrefaceIsRefused() throws Exception {
        ByteArrayOutputStream preface = new ByteArrayOutputStream();
        preface.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        preface.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
        Answer answer = RawHttp.untilClosed(router.port(), preface.toByteArray());
        // an HTTP/2 server answers with its own SETTINGS frame (binary); this one answers in HTTP/1.1, and closes
        assertThat(answer.raw()).as(answer.raw()).startsWith("HTTP/1.1 ");
        assertJsonError(answer, 400, "bad_request");
    }

    @Test
    void http2CleartextCanBeTurnedOn() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("h2c"));
        settings.put("kyc.ingress.http2-cleartext", "true");
        try (RunningRouter h2c = RunningRouter.start(settings)) {
            try (Socket socket = new Socket("127.0.0.1", h2c.port())) {
                socket.getOutputStream().write(("GET /api/deliveries HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(15_000);
                byte[] start = socket.getInputStream().readNBytes(12);
                assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
            }
        }
    }

    @Test
    void theManagementPortStillAnswers() throws Exception {
        assertThat(router.management("/observe/health").statusCode()).isEqualTo(200);
        assertThat(router.management("/observe/metrics").statusCode()).isEqualTo(200);
        assertThat(router.management("/observe/metrics").body()).contains("kyc_");
    }
}
