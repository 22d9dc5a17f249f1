package io.kycrouter.security;

import io.kycrouter.support.MovingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TokenGuessThrottleTest {

    private final MovingClock clock = new MovingClock("2026-12-01T10:00:00Z");
    private final TokenGuessThrottle throttle = new TokenGuessThrottle(clock, 3, Duration.ofSeconds(60), 2);

    @Test
    void anAddressIsRefusedAfterItsFailuresUntilTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.refused("10.0.0.1")).isEmpty();
            throttle.failed("10.0.0.1");
            clock.now = clock.now.plusSeconds(10);
        }
        assertThat(throttle.refused("10.0.0.1")).hasValue(Duration.ofSeconds(30)); // the window began at the first failure
        assertThat(throttle.refused("10.0.0.2")).as("another address").isEmpty();
        clock.now = clock.now.plusSeconds(30);
        assertThat(throttle.refused("10.0.0.1")).as("the window ended").isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.refused("10.0.0.1")).as("a new window, one failure").isEmpty();
    }

    @Test
    void theRightTokenStartsTheCountAgain() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.succeeded("10.0.0.1");
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.refused("10.0.0.1")).isEmpty();
    }

    @Test
    void tooManyGuessingAddressesAtOnceRefuseANewOneAndNeverGrowTheMap() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.2");
        assertThat(throttle.refused("10.0.0.3")).as("two addresses tracked already").hasValue(Duration.ofSeconds(60));
        assertThat(throttle.refused("10.0.0.1")).as("a tracked one under its limit").isEmpty();
        clock.now = clock.now.plusSeconds(61);
        assertThat(throttle.refused("10.0.0.3")).as("the windows ended: room again").isEmpty();
        assertThat(throttle.tracked()).isLessThanOrEqualTo(2);
        assertThat(TokenGuessThrottle.seconds(Duration.ofMillis(1_001))).isEqualTo(2);
        assertThat(TokenGuessThrottle.seconds(Duration.ZERO)).isEqualTo(1);
    }
}
