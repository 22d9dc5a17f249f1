package io.kycrouter.console;

import io.kycrouter.security.ConstantTime;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's server-side sessions: signing in with the operator token opens one, identified by a random id that
 * only the browser's HttpOnly cookie carries. A session ends when signed out, when unused for the idle timeout, or
 * at its maximum age, whichever comes first. Each has its own random CSRF token, which the console's pages send
 * back in a header with every state-changing call. Kept in memory: a restart signs everyone out.
 */
public final class ConsoleSessions {

    /** One signed-in browser. */
    public static final class Session {
        private final String id;
        private final String csrfToken;
        private final Instant expiresAt;
        private volatile Instant lastUsed;

        Session(String id, String csrfToken, Instant createdAt, Instant expiresAt) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.expiresAt = expiresAt;
            this.lastUsed = createdAt;
        }

        public String id() {
            return id;
        }

        public String csrfToken() {
            return csrfToken;
        }

        /** The maximum age's end; the idle timeout may end it before. */
        public Instant expiresAt() {
            return expiresAt;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String operatorToken;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration maxAge;
    private final int maxSessions;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ConsoleSessions(String operatorToken, Clock clock, Duration idleTimeout, Duration maxAge, int maxSessions) {
        this.operatorToken = operatorToken == null || operatorToken.isBlank() ? null : operatorToken.trim();
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxAge = maxAge;
        this.maxSessions = maxSessions;
    }

    /** False when no operator token is configured: nobody can sign in. */
    public boolean enabled() {
        return operatorToken != null;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** A new session when {@code token} is the operator token; empty otherwise. */
    public Optional<Session> signIn(String token) {
        if (operatorToken == null || !ConstantTime.equal(token == null ? null : token.trim(), operatorToken)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        removeExpired(now);
        while (sessions.size() >= maxSessions) { // the oldest session makes room; bounded whatever happens
            sessions.values().stream().min(Comparator.comparing(s -> s.lastUsed)).ifPresent(s -> sessions.remove(s.id));
        }
        Session session = new Session(random(), random(), now, now.plus(maxAge));
        sessions.put(session.id, session);
        return Optional.of(session);
    }

    /** The live session of this id (its idle time restarts), or empty when unknown, signed out or expired. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastUsed = now;
        return Optional.of(session);
    }

    public void signOut(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether {@code given} is this session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session session, String given) {
        return ConstantTime.equal(given, session.csrfToken);
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.expiresAt) || !now.isBefore(session.lastUsed.plus(idleTimeout));
    }

    private void removeExpired(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
