package io.kycrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kycrouter.console.ConsoleGate;
import io.kycrouter.ingress.HttpRequests;
import io.kycrouter.ingress.Responses;
import io.kycrouter.security.ConstantTime;
import io.kycrouter.security.TokenGuessThrottle;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator read API (router/api.yaml): bearer-token check and the JSON views of rows that camel-jdbc
 * read. With no operator token configured every call is refused: the API never runs open.
 */
public final class OperatorApi {

    private static final Logger LOG = LoggerFactory.getLogger("kyc.api");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final ConsoleGate console;
    private final TokenGuessThrottle guesses;

    /**
     * @param console the console's sessions: a signed-in browser calls the API with its cookie (and CSRF token)
     * @param guesses wrong tokens per address, shared with the console's sign-in
     */
    public OperatorApi(String token, ConsoleGate console, TokenGuessThrottle guesses) {
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.console = console;
        this.guesses = guesses;
    }

    /**
     * The operator token check, the first step of every call. The method is not checked here: each REST verb of
     * router/api.yaml is its own platform-http consumer, and a wrong method gets the server's JSON 405. Without an
     * Authorization header, the console's session cookie counts; a state-changing call with it also needs the
     * session's CSRF token and the console's origin ({@link ConsoleGate}).
     */
    public void authorize(Exchange exchange) {
        if (token == null) {
            throw new ApiRejected(401, "unauthorized", "the operator API is disabled: set KYC_OPERATOR_TOKEN");
        }
        // the request's own header: a query parameter or form field of the same name is no credential
        String header = HttpRequests.header(exchange, "Authorization");
        if (header == null && console != null) {
            switch (console.check(HttpRequests.of(exchange))) {
                case SIGNED_IN -> {
                    return;
                }
                case CSRF_REFUSED -> throw new ApiRejected(403, "csrf_refused",
                        "a console call that changes something needs the session's " + ConsoleGate.CSRF_HEADER + " header");
                case ORIGIN_REFUSED -> throw new ApiRejected(403, "origin_refused",
                        "a console call that changes something must come from the console's own origin");
                case NO_SESSION -> {
                    // no session either: refused below as a missing token
                }
            }
        }
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        String address = HttpRequests.peer(exchange);
        Optional<Duration> wait = guesses.refused(address);
        if (wait.isPresent()) { // before the token is compared: a throttled guess learns nothing
            throw tooManyGuesses(wait.get());
        }
        if (!ConstantTime.equal(given, token)) {
            if (given != null && !given.isEmpty()) {
                guesses.failed(address);
            }
            throw new ApiRejected(401, "unauthorized", "missing or wrong bearer token");
        }
        guesses.succeeded(address);
    }

    /** The state row as JSON, or 404. */
    public void state(Exchange exchange) {
        List<?> rows = exchange.getMessage().getBody(List.class);
        if (rows == null || rows.isEmpty()) {
            throw ApiRejected.notFound("no such verification");
        }
        Map<String, Object> view = new LinkedHashMap<>();
        ((Map<?, ?>) rows.get(0)).forEach((k, v) -> view.put(String.valueOf(k), plain(v)));
        Responses.json(exchange, 200, view);
    }

    /**
     * The canonical events, oldest first, as a JSON array of the stored documents; 404 when none. An event replaced by
     * a remap (mapped again after a fix) is listed too, with {@code supersededBy} and {@code supersededAt} added.
     */
    public void events(Exchange exchange) throws IOException {
        List<?> rows = exchange.getMessage().getBody(List.class);
        if (rows == null || rows.isEmpty()) {
            throw ApiRejected.notFound("no such verification");
        }
        List<String> payloads = new ArrayList<>();
        for (Object row : rows) {
            Map<?, ?> columns = (Map<?, ?>) row;
            String payload = String.valueOf(columns.get("payload"));
            Object supersededBy = columns.get("supersededBy");
            if (supersededBy != null) {
                ObjectNode event = (ObjectNode) JSON.readTree(payload);
                event.put("supersededBy", supersededBy.toString());
                event.put("supersededAt", String.valueOf(plain(columns.get("supersededAt"))));
                payload = JSON.writeValueAsString(event);
            }
            payloads.add(payload);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody("[" + String.join(",", payloads) + "]");
    }

    /** 429 with Retry-After: too many wrong operator tokens from this address (the console's sign-in answers its own). */
    private static ApiRejected tooManyGuesses(Duration wait) {
        long seconds = TokenGuessThrottle.seconds(wait);
        return new ApiRejected(429, "too_many_attempts",
                "too many wrong operator tokens from this address; retry after " + seconds + " s", seconds);
    }

    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause instanceof ApiRejected r) {
            Responses.error(exchange, r.status(), r.error(), r.getMessage());
            if (r.retryAfterSeconds() > 0) {
                exchange.getMessage().setHeader("Retry-After", Long.toString(r.retryAfterSeconds()));
            }
        } else {
            LOG.warn("operator API failure: {}", cause == null ? "?" : cause.toString());
            Responses.error(exchange, 503, "store_unavailable", "the router's database is unavailable; retry later");
        }
    }

    /** Database timestamps differ by driver (H2: OffsetDateTime, PostgreSQL: Timestamp): all become ISO-8601 UTC. */
    static Object plain(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof java.time.Instant i) {
            return i.toString();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC).toString();
        }
        return value;
    }
}
