package io.kycrouter.console;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The console session's rules for a request: the session is read from the HttpOnly cookie only (never a URL or a
 * form field); a state-changing request (any method but GET and HEAD) must also carry the session's CSRF token in
 * the {@value #CSRF_HEADER} header and come from the console's own origin (its Origin, or failing that its Referer,
 * names the host the request was sent to, or one of {@code kyc.console.allowed-origins} behind a proxy).
 */
public final class ConsoleGate {

    public static final String COOKIE = "kyc_console_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** What the session cookie of a request amounts to. */
    public enum Verdict {
        /** No cookie, or one of no live session (unknown, signed out, expired). */
        NO_SESSION,
        /** A live session; for a state-changing request its CSRF token and origin were right too. */
        SIGNED_IN,
        /** A state-changing request without the session's CSRF token. */
        CSRF_REFUSED,
        /** A state-changing request from another origin (or naming none). */
        ORIGIN_REFUSED
    }

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final ConsoleSessions sessions;
    private final List<String> allowedOrigins;
    private final String secureCookie;

    /**
     * @param allowedOrigins origins (scheme://host[:port]) accepted besides the request's own host, e.g. the public
     *                       address of a proxy that rewrites the Host header
     * @param secureCookie   {@code auto} (Secure when the request came over TLS or X-Forwarded-Proto says https),
     *                       {@code true} or {@code false}
     */
    public ConsoleGate(ConsoleSessions sessions, List<String> allowedOrigins, String secureCookie) {
        this.sessions = sessions;
        this.allowedOrigins = allowedOrigins.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).toList();
        this.secureCookie = secureCookie == null ? "auto" : secureCookie.trim().toLowerCase(Locale.ROOT);
    }

    public ConsoleSessions sessions() {
        return sessions;
    }

    /** The live session the request's cookie names, if any. */
    public Optional<ConsoleSessions.Session> session(HttpServerRequest request) {
        return request == null ? Optional.empty() : sessions.find(sessionId(request.getHeader("Cookie")));
    }

    /** The verdict for a request that carries no bearer token. */
    public Verdict check(HttpServerRequest request) {
        Optional<ConsoleSessions.Session> session = session(request);
        if (session.isEmpty()) {
            return Verdict.NO_SESSION;
        }
        if (SAFE_METHODS.contains(request.method().name())) {
            return Verdict.SIGNED_IN;
        }
        if (!sameOrigin(request)) {
            return Verdict.ORIGIN_REFUSED;
        }
        return ConsoleSessions.csrfMatches(session.get(), request.getHeader(CSRF_HEADER)) ? Verdict.SIGNED_IN : Verdict.CSRF_REFUSED;
    }

    /**
     * Whether the request's Origin (or, without one, its Referer) is the console's own: the host it was sent to, or an
     * allowed origin. A request naming neither is refused: browsers send Origin with every cross-site POST.
     */
    public boolean sameOrigin(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null || origin.isBlank() || "null".equals(origin)) {
            origin = request.getHeader("Referer");
        }
        if (origin == null || origin.isBlank()) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            return false;
        }
        String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
        String host = request.getHeader("Host");
        if (host != null && authority.equals(host.trim().toLowerCase(Locale.ROOT))) {
            return true;
        }
        return allowedOrigins.contains(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + authority);
    }

    /** The Set-Cookie value that hands a session to the browser. */
    public String cookie(ConsoleSessions.Session session, HttpServerRequest request) {
        return COOKIE + "=" + session.id() + "; Path=/; Max-Age=" + sessions.maxAge().toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure(request) ? "; Secure" : "");
    }

    /** The Set-Cookie value that removes the session cookie. */
    public String expiredCookie(HttpServerRequest request) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure(request) ? "; Secure" : "");
    }

    private boolean secure(HttpServerRequest request) {
        return switch (secureCookie) {
            case "true" -> true;
            case "false" -> false;
            default -> request != null && (request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")));
        };
    }

    /** The session id of a Cookie header, or null. */
    static String sessionId(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String value = p.substring(COOKIE.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
