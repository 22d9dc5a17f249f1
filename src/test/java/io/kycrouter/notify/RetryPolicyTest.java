package io.kycrouter.notify;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    /** No jitter: the delays are exact. */
    final RetryPolicy policy = new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 0);

    @Test
    void delaysDoubleFromTheInitialDelayUpToTheCap() {
        Instant now = CREATED.plusSeconds(5);
        assertThat(policy.nextAttempt(1, CREATED, now, null)).isEqualTo(now.plusSeconds(1));
        assertThat(policy.nextAttempt(2, CREATED, now, null)).isEqualTo(now.plusSeconds(2));
        assertThat(policy.nextAttempt(3, CREATED, now, null)).isEqualTo(now.plusSeconds(4));
        assertThat(policy.nextAttempt(4, CREATED, now, null)).isEqualTo(now.plusSeconds(8));
        RetryPolicy many = new RetryPolicy(50, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
        assertThat(many.nextAttempt(30, CREATED, now, null)).isEqualTo(now.plusSeconds(10));
    }

    @Test
    void outOfAttemptsOrAgeMeansNoNextAttempt() {
        assertThat(policy.nextAttempt(5, CREATED, CREATED.plusSeconds(1), null)).isNull();
        assertThat(policy.nextAttempt(1, CREATED, CREATED.plus(Duration.ofHours(1)), null)).isNull();
        assertThat(policy.nextAttempt(1, CREATED, CREATED.plus(Duration.ofHours(1)).minusMillis(1), null)).isNotNull();
    }

    @Test
    void theLastAttemptIsNeverScheduledPastTheMaximumAge() {
        Instant now = CREATED.plus(Duration.ofHours(1)).minusSeconds(3);
        assertThat(policy.nextAttempt(4, CREATED, now, null)).isEqualTo(CREATED.plus(Duration.ofHours(1)));
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackoffWithinADay() {
        Instant now = CREATED.plusSeconds(5);
        RetryPolicy longLived = new RetryPolicy(5, Duration.ofDays(30), Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
        assertThat(longLived.nextAttempt(1, CREATED, now, Duration.ofMinutes(5))).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(longLived.nextAttempt(3, CREATED, now, Duration.ofMillis(10))).isEqualTo(now.plusSeconds(4));
        assertThat(longLived.nextAttempt(1, CREATED, now, Duration.ofDays(7))).isEqualTo(now.plus(Duration.ofDays(1)));
    }

    @Test
    void jitterSpreadsTheDelayAroundItsValue() {
        RetryPolicy jittered = new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMinutes(1), 0.5);
        Instant now = CREATED.plusSeconds(5);
        for (int i = 0; i < 200; i++) {
            Duration delay = Duration.between(now, jittered.nextAttempt(1, CREATED, now, null));
            assertThat(delay).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }
}
