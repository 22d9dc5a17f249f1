package io.kycrouter;

import io.kycrouter.support.ConsoleClient;
import io.kycrouter.support.RunningRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's sign-in as a browser sees it: the operator token is posted in a JSON body (never a URL) and exchanged
 * for a server-side session in an HttpOnly, SameSite=Strict cookie; without a live session every console path shows
 * the sign-in page or a 401, never data; a state-changing API call with the cookie needs the session's CSRF token and
 * the console's origin; sign-out and the idle timeout end the session.
 */
class ConsoleSignInTest {

    static RunningRouter router;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = RunningRouter.defaults(RunningRouter.tempDir("console-sign-in"));
        settings.put("kyc.console.session-idle-seconds", "3");
        router = RunningRouter.start(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    @Test
    void withoutASessionTheConsoleIsTheSignInPageAndTheApiRefuses() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        HttpResponse<String> page = browser.get("/console");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("action=\"/console/sign-in\"").contains("type=\"password\"").doesNotContain("console.js");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p).contains("frame-ancestors 'none'"));
        assertThat(browser.get("/console/session").statusCode()).isEqualTo(401);
        assertThat(browser.get("/api/overview").statusCode()).isEqualTo(401);
        // a made-up session id is no session
        browser.cookie("kyc_console_session=made-up");
        assertThat(browser.get("/console").body()).contains("action=\"/console/sign-in\"");
        assertThat(browser.get("/api/overview").statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongTokenGetsTheSignInPageAgainAndNoCookie() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        HttpResponse<String> wrong = browser.signIn("not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(RunningRouter.json(wrong).get("message").asText()).isEqualTo("Wrong operator token.");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        // the token in the URL is no sign-in, and GET is not how one signs in
        HttpResponse<String> inUrl = browser.send("POST", "/console/sign-in?token=" + RunningRouter.OPERATOR_TOKEN, "{}",
                Map.of("Content-Type", "application/json", "Origin", browser.origin()));
        assertThat(inUrl.statusCode()).isEqualTo(401);
        assertThat(inUrl.headers().firstValue("Set-Cookie")).isEmpty();
        // a form posted without the page's script is told why, and signs nobody in
        HttpResponse<String> form = browser.send("POST", "/console/sign-in", "token=" + RunningRouter.OPERATOR_TOKEN,
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", browser.origin()));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.body()).contains("needs JavaScript");
        assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(browser.get("/console/sign-in").statusCode()).isEqualTo(405);
    }

    @Test
    void signInFromAnotherSiteIsRefused() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        HttpResponse<String> foreign = browser.send("POST", "/console/sign-in", "{\"token\":\"" + RunningRouter.OPERATOR_TOKEN + "\"}",
                Map.of("Content-Type", "application/json", "Origin", "https://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void theRightTokenOpensASessionInAnHttpOnlySameSiteStrictCookie() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        HttpResponse<String> signedIn = browser.signIn(RunningRouter.OPERATOR_TOKEN);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("kyc_console_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").doesNotContain("Secure").doesNotContain(RunningRouter.OPERATOR_TOKEN);
        assertThat(browser.cookie()).doesNotContain(RunningRouter.OPERATOR_TOKEN);

        HttpResponse<String> console = browser.get("/console");
        assertThat(console.body()).contains("/console/assets/console.js").doesNotContain("action=\"/console/sign-in\"");
        assertThat(browser.get("/api/overview").statusCode()).isEqualTo(200);
        assertThat(browser.get("/console/assets/console.js").statusCode()).isEqualTo(200);
        assertThat(browser.get("/console/assets/../sign-in.html").statusCode()).isEqualTo(404);

        // behind a TLS proxy (X-Forwarded-Proto: https) the cookie is Secure too
        HttpResponse<String> proxied = browser.send("POST", "/console/sign-in", "{\"token\":\"" + RunningRouter.OPERATOR_TOKEN + "\"}",
                Map.of("Content-Type", "application/json", "Origin", browser.origin(), "X-Forwarded-Proto", "https"));
        assertThat(proxied.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("; Secure"));
    }

    @Test
    void aStateChangingCallWithTheCookieNeedsTheCsrfTokenAndTheConsolesOrigin() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        browser.signIn(RunningRouter.OPERATOR_TOKEN);
        String csrf = browser.csrfToken();
        assertThat(csrf).hasSizeGreaterThan(30);

        HttpResponse<String> noToken = browser.send("POST", "/api/targets/nobody/enable", null, Map.of("Origin", browser.origin()));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(RunningRouter.json(noToken).get("error").asText()).isEqualTo("csrf_refused");
        HttpResponse<String> wrongToken = browser.send("POST", "/api/targets/nobody/enable", null,
                Map.of("Origin", browser.origin(), "X-CSRF-Token", csrf + "x"));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> otherSite = browser.send("POST", "/api/targets/nobody/enable", null,
                Map.of("Origin", "https://evil.example", "X-CSRF-Token", csrf));
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(RunningRouter.json(otherSite).get("error").asText()).isEqualTo("origin_refused");
        HttpResponse<String> noOrigin = browser.send("POST", "/api/targets/nobody/enable", null, Map.of("X-CSRF-Token", csrf));
        assertThat(noOrigin.statusCode()).isEqualTo(403);

        // token and origin right: the call passes the credential check and gets the API's own answer
        HttpResponse<String> right = browser.send("POST", "/api/targets/nobody/enable", null,
                Map.of("Origin", browser.origin(), "X-CSRF-Token", csrf));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(404);
        assertThat(RunningRouter.json(right).get("error").asText()).isEqualTo("not_found");
        // the bearer token needs neither (no ambient credential to abuse)
        assertThat(router.request("POST", "/api/targets/nobody/enable", RunningRouter.OPERATOR_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        browser.signIn(RunningRouter.OPERATOR_TOKEN);
        String csrf = browser.csrfToken();
        // without the CSRF token, sign-out (a state change) is refused and the session lives on
        assertThat(browser.send("POST", "/console/sign-out", null, Map.of("Origin", browser.origin())).statusCode()).isEqualTo(403);
        assertThat(browser.get("/api/overview").statusCode()).isEqualTo(200);
        HttpResponse<String> out = browser.send("POST", "/console/sign-out", null, Map.of("Origin", browser.origin(), "X-CSRF-Token", csrf));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        // the old cookie, replayed, is no longer a session
        assertThat(browser.get("/api/overview").statusCode()).isEqualTo(401);
        assertThat(browser.get("/console").body()).contains("action=\"/console/sign-in\"");
    }

    @Test
    void anIdleSessionExpires() throws Exception {
        ConsoleClient browser = new ConsoleClient(router);
        browser.signIn(RunningRouter.OPERATOR_TOKEN);
        assertThat(browser.get("/console/session").statusCode()).isEqualTo(200);
        // kyc.console.session-idle-seconds = 3 here: left alone, the session ends and the API refuses the cookie
        ConsoleClient idle = new ConsoleClient(router);
        idle.cookie(browser.cookie());
        await("the idle session to expire").atMost(RunningRouter.WAIT).pollDelay(java.time.Duration.ofSeconds(3))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> idle.get("/api/overview").statusCode() == 401);
        assertThat(idle.get("/console").body()).contains("action=\"/console/sign-in\"");
    }
}
