package io.kycrouter.observe;

import io.kycrouter.support.MovingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory refusal counts: per minute over a day, windows of the last hour and day, hourly series, a bounded ring. */
class RefusalLogTest {

    final MovingClock clock = new MovingClock("2026-11-30T10:00:30Z");
    final RefusalLog log = new RefusalLog(clock, 3);

    @Test
    void countsByVendorAndReasonOverTheLastHourAndDay() {
        log.record("sumsub", "signature");
        log.record("sumsub", "signature");
        log.record("didit", "stale");
        clock.now = clock.now.plus(Duration.ofMinutes(90));
        log.record("sumsub", "too_large");
        assertThat(log.counts(60)).isEqualTo(Map.of("sumsub", Map.of("too_large", 1L)));
        assertThat(log.counts(24 * 60)).isEqualTo(Map.of("sumsub", Map.of("signature", 2L, "too_large", 1L), "didit", Map.of("stale", 1L)));
        assertThat(log.hourly().get("sumsub")).isEqualTo(Map.of(
                Instant.parse("2026-11-30T10:00:00Z").getEpochSecond(), 2L, Instant.parse("2026-11-30T11:00:00Z").getEpochSecond(), 1L));
        // a day later the old minutes' slots are reused: what is older than a day reads as nothing
        clock.now = clock.now.plus(Duration.ofHours(25));
        log.record("sumsub", "signature");
        assertThat(log.counts(24 * 60)).isEqualTo(Map.of("sumsub", Map.of("signature", 1L)));
    }

    @Test
    void theLatestRefusalsAreKeptInABoundedRingNewestFirst() {
        for (String vendor : new String[]{"a", "b", "c", "d", "e"}) {
            log.record(vendor, "credential");
            clock.now = clock.now.plusSeconds(1);
        }
        assertThat(log.latest(10)).extracting(RefusalLog.Refusal::vendor).containsExactly("e", "d", "c");
        assertThat(log.latest(2)).hasSize(2);
    }

    @Test
    void authenticationFailuresAreToldApartByWhatFailed() {
        assertThat(RefusalReasons.of("unauthorized", "signature mismatch (X-Payload-Digest hex HMAC)")).isEqualTo("signature");
        assertThat(RefusalReasons.of("unauthorized", "missing signature (X-Signature-V2)")).isEqualTo("signature");
        assertThat(RefusalReasons.of("unauthorized", "stale timestamp: X-Timestamp is 400 s off")).isEqualTo("stale");
        assertThat(RefusalReasons.of("unauthorized", "missing timestamp header X-Timestamp")).isEqualTo("stale");
        assertThat(RefusalReasons.of("unauthorized", "wrong token (X-Webhook-Token)")).isEqualTo("credential");
        assertThat(RefusalReasons.of("unauthorized", null)).isEqualTo("credential");
        assertThat(RefusalReasons.of("malformed_json", "x")).isEqualTo("malformed");
        assertThat(RefusalReasons.of("payload_too_large", "x")).isEqualTo("too_large");
        assertThat(RefusalReasons.of("unsupported_media_type", "x")).isEqualTo("unsupported_media_type");
    }
}
