package io.kycrouter;

import io.kycrouter.support.RawHttp;
import io.kycrouter.support.RawHttp.Answer;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator API's routes are Camel REST verbs (router/api.yaml): a call with the wrong method is answered by the
 * server with the JSON 405 (even with the right token), and a declared query default never hides the value given.
 */
class OperatorApiVerbsTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("api-verbs"));
        settings.put("kyc.notify.targets", "crm");
        settings.put("kyc.notify.target.crm.type", "http");
        settings.put("kyc.notify.target.crm.url", "http://127.0.0.1:9/unused");
        settings.put("kyc.notify.target.crm.secret", "crm-test-secret-of-24-bytes");
        router = RunningRouter.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void wrongMethodsGetTheJson405() throws Exception {
        Map<String, List<String>> wrong = Map.of(
                "/api/verifications/didit/x", List.of("POST", "PUT", "DELETE"),
                "/api/verifications/didit/x/events", List.of("POST", "PATCH"),
                "/api/deliveries", List.of("POST", "PUT", "DELETE"),
                "/api/deliveries/1/replay", List.of("GET", "PUT"),
                "/api/deliveries/replay?target=crm", List.of("GET", "DELETE"),
                "/api/targets/crm/enable", List.of("GET", "PUT"));
        for (Map.Entry<String, List<String>> path : wrong.entrySet()) {
            for (String method : path.getValue()) {
                Answer answer = RawHttp.untilClosed(router.port(), method + " " + path.getKey() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + RunningRouter.OPERATOR_TOKEN + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                assertThat(answer.status()).as(method + " " + path.getKey() + ": " + answer.raw()).isEqualTo(405);
                assertThat(answer.header("Content-Type")).as(method + " " + path.getKey()).startsWith("application/json");
                assertThat(answer.json().get("error").asText()).isEqualTo("method_not_allowed");
            }
        }
        // the right methods still answer
        assertThat(router.get("/api/deliveries").statusCode()).isEqualTo(200);
        assertThat(router.request("POST", "/api/targets/crm/enable", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void theDeclaredLimitDefaultDoesNotHideTheGivenLimit() throws Exception {
        HttpResponse<String> tooLarge = router.get("/api/deliveries?limit=abc");
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(RunningRouter.json(tooLarge).get("error").asText()).isEqualTo("invalid_parameter");
        assertThat(RunningRouter.json(tooLarge).get("status").asText()).isEqualTo("rejected");
        assertThat(RunningRouter.json(tooLarge).get("message").asText()).isEqualTo("limit must be a number");
        assertThat(router.get("/api/deliveries?limit=5").statusCode()).isEqualTo(200);
    }
}
