package io.kycrouter.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kycrouter.ingress.HttpRequests;
import io.kycrouter.security.TokenGuessThrottle;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's own paths (router/console.yaml): {@code GET /console} (the console when signed in, the sign-in page
 * otherwise), its assets from the jar, sign-in (a POST: the token travels in the body, never in a URL), the
 * session's CSRF token for the pages, and sign-out. The pages read and act through /api with the session cookie.
 */
public final class ConsolePages {

    /** The console's files in the jar (src/main/resources/console/), with their media types: nothing else is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "sign-in.js", "text/javascript; charset=utf-8",
            "icon.svg", "image/svg+xml");
    private static final ObjectMapper JSON = new ObjectMapper();
    // the pages load only their own scripts and styles, and no other site may frame them
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final ConsoleGate gate;
    private final TokenGuessThrottle guesses;
    private final Map<String, String> files = new LinkedHashMap<>();

    /** @param guesses wrong operator tokens per address, shared with the operator API */
    public ConsolePages(ConsoleGate gate, TokenGuessThrottle guesses) {
        this.gate = gate;
        this.guesses = guesses;
        for (String name : ASSETS.keySet()) {
            files.put(name, read(name));
        }
        files.put("console.html", read("console.html"));
        files.put("sign-in.html", read("sign-in.html"));
    }

    /** GET /console: the console for a live session, else the sign-in page (and never any data). */
    public void page(Exchange exchange) {
        HttpServerRequest request = HttpRequests.of(exchange);
        if (gate.session(request).isPresent()) {
            answer(exchange, 200, "text/html; charset=utf-8", files.get("console.html"));
        } else {
            signInPage(exchange, 200, gate.sessions().enabled() ? null
                    : "The console is disabled: no operator token is configured (KYC_OPERATOR_TOKEN).");
        }
    }

    /** GET /console/assets/{file}: one of the console's files; 404 for any other name. */
    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("file", String.class);
        String type = name == null ? null : ASSETS.get(name);
        if (type == null) {
            json(exchange, 404, Map.of("status", "rejected", "error", "not_found", "message", "no such console file"));
            return;
        }
        answer(exchange, 200, type, files.get(name));
    }

    /**
     * POST /console/sign-in, JSON {@code {"token": "..."}} as the sign-in page's script sends it (the token travels in
     * the body, never in a URL): 200 and the session cookie, or 401. Only from the console's own origin.
     */
    public void signIn(Exchange exchange) {
        HttpServerRequest request = HttpRequests.of(exchange);
        if (request == null || !gate.sameOrigin(request)) {
            json(exchange, 403, Map.of("status", "rejected", "error", "origin_refused",
                    "message", "sign in from the console's own page"));
            return;
        }
        String type = request.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // a plain form post: the page's script did not run
            signInPage(exchange, 415, "The console needs JavaScript: enable it for this page and sign in again.");
            return;
        }
        String token;
        try {
            Object value = JSON.readTree(exchange.getMessage().getBody(String.class)).get("token");
            token = value == null ? null : ((com.fasterxml.jackson.databind.JsonNode) value).asText(null);
        } catch (Exception e) {
            token = null;
        }
        String address = HttpRequests.peer(exchange);
        Optional<Duration> wait = guesses.refused(address);
        if (wait.isPresent()) { // before the token is compared: a throttled guess learns nothing
            long seconds = TokenGuessThrottle.seconds(wait.get());
            request.response().putHeader("Retry-After", Long.toString(seconds));
            json(exchange, 429, Map.of("status", "rejected", "error", "too_many_attempts",
                    "message", "Too many wrong operator tokens from this address: try again in " + seconds + " s."));
            return;
        }
        Optional<ConsoleSessions.Session> session = gate.sessions().signIn(token);
        if (session.isEmpty()) {
            if (token != null && !token.isBlank()) {
                guesses.failed(address);
            }
            json(exchange, 401, Map.of("status", "rejected", "error", "unauthorized", "message", gate.sessions().enabled()
                    ? "Wrong operator token." : "The console is disabled: no operator token is configured (KYC_OPERATOR_TOKEN)."));
            return;
        }
        guesses.succeeded(address);
        request.response().putHeader("Set-Cookie", gate.cookie(session.get(), request));
        json(exchange, 200, Map.of("status", "signed-in", "expiresAt", session.get().expiresAt().toString()));
    }

    /** POST /console/sign-out (the session's CSRF token in the header): ends the session, clears the cookie. */
    public void signOut(Exchange exchange) {
        HttpServerRequest request = HttpRequests.of(exchange);
        ConsoleGate.Verdict verdict = gate.check(request);
        if (verdict == ConsoleGate.Verdict.CSRF_REFUSED || verdict == ConsoleGate.Verdict.ORIGIN_REFUSED) {
            json(exchange, 403, Map.of("status", "rejected", "error", "csrf_refused",
                    "message", "sign-out must come from the console's page with its CSRF token"));
            return;
        }
        gate.session(request).ifPresent(s -> gate.sessions().signOut(s.id()));
        request.response().putHeader("Set-Cookie", gate.expiredCookie(request));
        json(exchange, 200, Map.of("status", "signed-out"));
    }

    /** GET /console/session: the session's CSRF token and expiry for the pages (readable by this origin only); 401 without one. */
    public void session(Exchange exchange) {
        Optional<ConsoleSessions.Session> session = gate.session(HttpRequests.of(exchange));
        if (session.isEmpty()) {
            json(exchange, 401, Map.of("status", "rejected", "error", "unauthorized", "message", "not signed in, or the session expired"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csrfToken", session.get().csrfToken());
        body.put("csrfHeader", ConsoleGate.CSRF_HEADER);
        body.put("expiresAt", session.get().expiresAt().toString());
        body.put("idleTimeoutSeconds", gate.sessions().idleTimeout().toSeconds());
        json(exchange, 200, body);
    }

    private void signInPage(Exchange exchange, int status, String message) {
        String note = message == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(message) + "</p>";
        answer(exchange, status, "text/html; charset=utf-8", files.get("sign-in.html").replace("<!--message-->", note));
    }


    private static void json(Exchange exchange, int status, Object body) {
        try {
            answer(exchange, status, "application/json", JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer, with no request header echoed back and the console's security headers on the response itself. */
    private static void answer(Exchange exchange, int status, String contentType, String body) {
        HttpServerRequest request = HttpRequests.of(exchange);
        if (request != null) {
            // set on the response itself: Camel's HTTP header filter drops Cache-Control set as a message header
            request.response().putHeader("Cache-Control", "no-store")
                    .putHeader("Content-Security-Policy", POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String read(String name) {
        try (InputStream in = ConsolePages.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
