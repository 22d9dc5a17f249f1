package io.kycrouter;

import io.kycrouter.support.ConsoleClient;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.kycrouter.support.RunningRouter.OPERATOR_TOKEN;
import static io.kycrouter.support.RunningRouter.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An attacker guessing the operator token, over the API's bearer and the console's sign-in together: after
 * kyc.api.max-wrong-tokens wrong tokens from one address, that address gets 429 with Retry-After, the right token
 * included (a throttled guess learns nothing), until the window ends; a missing token is no guess, and the right
 * token starts the count again.
 */
class OperatorTokenGuessingTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("token-guessing"));
        settings.put("kyc.api.max-wrong-tokens", "3");
        settings.put("kyc.api.wrong-tokens-window-seconds", "2");
        router = RunningRouter.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void wrongTokensFromOneAddressAreThrottledOverTheApiAndTheConsole() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(router.request("GET", "/api/overview", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> right = router.request("GET", "/api/overview", OPERATOR_TOKEN);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(429);
        assertThat(json(right).get("error").asText()).isEqualTo("too_many_attempts");
        assertThat(right.headers().firstValue("Retry-After")).hasValueSatisfying(
                s -> assertThat(Integer.parseInt(s)).isBetween(1, 2));
        assertThat(right.body()).doesNotContain(OPERATOR_TOKEN);

        ConsoleClient browser = new ConsoleClient(router);
        HttpResponse<String> signIn = browser.signIn(OPERATOR_TOKEN);
        assertThat(signIn.statusCode()).as("the console's sign-in shares the count").isEqualTo(429);
        assertThat(signIn.headers().firstValue("Retry-After")).isPresent();
        assertThat(signIn.headers().firstValue("Set-Cookie")).isEmpty();

        await("the window ends").atMost(Duration.ofSeconds(15))
                .until(() -> router.request("GET", "/api/overview", OPERATOR_TOKEN).statusCode() == 200);
    }

    @Test
    void aMissingTokenIsNoGuessAndTheRightTokenStartsTheCountAgain() throws Exception {
        await("no window open").atMost(Duration.ofSeconds(15))
                .until(() -> router.request("GET", "/api/overview", OPERATOR_TOKEN).statusCode() == 200);
        for (int i = 0; i < 5; i++) {
            assertThat(router.request("GET", "/api/overview", null).statusCode()).isEqualTo(401);
        }
        assertThat(router.request("GET", "/api/overview", "guess-a").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/overview", "guess-b").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/overview", OPERATOR_TOKEN).statusCode()).isEqualTo(200);
        assertThat(router.request("GET", "/api/overview", "guess-c").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/overview", "guess-d").statusCode()).isEqualTo(401);
        assertThat(router.request("GET", "/api/overview", OPERATOR_TOKEN).statusCode()).isEqualTo(200);

        ConsoleClient browser = new ConsoleClient(router);
        for (int i = 0; i < 3; i++) {
            assertThat(browser.signIn("wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = browser.signIn(OPERATOR_TOKEN);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(json(throttled).get("message").asText()).contains("Too many wrong operator tokens");
        await("the window ends").atMost(Duration.ofSeconds(15))
                .until(() -> new ConsoleClient(router).signIn(OPERATOR_TOKEN).statusCode() == 200);
    }
}
