package io.kycrouter.console;

import io.kycrouter.support.MovingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The session rules on their own, on a clock the test moves: idle timeout, maximum age, bound, CSRF comparison. */
class ConsoleSessionsTest {

    final MovingClock clock = new MovingClock("2026-11-30T10:00:00Z");
    final ConsoleSessions sessions = new ConsoleSessions("the-token", clock, Duration.ofMinutes(30), Duration.ofHours(8), 3);

    @Test
    void onlyTheOperatorTokenOpensASession() {
        assertThat(sessions.signIn("wrong")).isEmpty();
        assertThat(sessions.signIn(null)).isEmpty();
        assertThat(sessions.signIn("the-token")).isPresent();
        ConsoleSessions none = new ConsoleSessions(" ", clock, Duration.ofMinutes(30), Duration.ofHours(8), 3);
        assertThat(none.enabled()).isFalse();
        assertThat(none.signIn(" ")).isEmpty();
        assertThat(none.signIn("")).isEmpty();
    }

    @Test
    void aSessionEndsWhenIdleForTheTimeout() {
        String id = sessions.signIn("the-token").orElseThrow().id();
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(id)).isPresent(); // used: the idle time starts again
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(sessions.find(id)).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find(id)).isEmpty();
    }

    @Test
    void aSessionEndsAtItsMaximumAgeHoweverOftenItIsUsed() {
        ConsoleSessions.Session session = sessions.signIn("the-token").orElseThrow();
        assertThat(session.expiresAt()).isEqualTo(clock.now.plus(Duration.ofHours(8)));
        for (int i = 0; i < 16; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertThat(sessions.find(session.id())).isPresent();
        }
        clock.now = clock.now.plus(Duration.ofMinutes(29)); // 8 h 3 min after sign-in
        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void signOutEndsASessionAndIdsAndTokensAreRandomAndDistinct() {
        ConsoleSessions.Session a = sessions.signIn("the-token").orElseThrow();
        ConsoleSessions.Session b = sessions.signIn("the-token").orElseThrow();
        assertThat(a.id()).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken());
        sessions.signOut(a.id());
        assertThat(sessions.find(a.id())).isEmpty();
        assertThat(sessions.find(b.id())).isPresent();
        assertThat(ConsoleSessions.csrfMatches(b, b.csrfToken())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(b, a.csrfToken())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(b, null)).isFalse();
    }

    @Test
    void theNumberOfSessionsIsBoundedTheLeastRecentlyUsedMakingRoom() {
        ConsoleSessions.Session first = sessions.signIn("the-token").orElseThrow();
        clock.now = clock.now.plusSeconds(1);
        ConsoleSessions.Session second = sessions.signIn("the-token").orElseThrow();
        clock.now = clock.now.plusSeconds(1);
        ConsoleSessions.Session third = sessions.signIn("the-token").orElseThrow();
        clock.now = clock.now.plusSeconds(1);
        sessions.find(first.id()); // used last: kept
        clock.now = clock.now.plusSeconds(1);
        sessions.signIn("the-token").orElseThrow();
        assertThat(sessions.find(first.id())).isPresent();
        assertThat(sessions.find(second.id())).isEmpty();
        assertThat(sessions.find(third.id())).isPresent();
    }

    @Test
    void theSessionIdIsReadFromItsCookieOnly() {
        assertThat(ConsoleGate.sessionId("a=1; kyc_console_session=abc; b=2")).isEqualTo("abc");
        assertThat(ConsoleGate.sessionId("kyc_console_session=")).isNull();
        assertThat(ConsoleGate.sessionId("other=abc")).isNull();
        assertThat(ConsoleGate.sessionId(null)).isNull();
    }
}
