package io.kycrouter.notify;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TargetFilterTest {

    static VerificationEvent event(String vendor, CanonicalType type, CanonicalStatus status, boolean isFinal) {
        return new VerificationEvent("e1", vendor, "vendor-type", "key", type, status, isFinal, "v1", null, null,
                List.of(), List.of(), false, null, "2026-01-01T00:00:00Z", 1);
    }

    final VerificationEvent approved = event("sumsub", CanonicalType.VERIFICATION_COMPLETED, CanonicalStatus.APPROVED, true);
    final VerificationEvent started = event("didit", CanonicalType.VERIFICATION_STARTED, CanonicalStatus.IN_PROGRESS, false);
    final VerificationEvent noStatus = event("didit", CanonicalType.VERIFICATION_UPDATED, null, false);

    @Test
    void emptySetsAcceptEverything() {
        TargetFilter any = new TargetFilter(Set.of(), Set.of(), Set.of(), false);
        assertThat(List.of(approved, started, noStatus)).allMatch(any::matches);
    }

    @Test
    void byVendorTypeAndStatus() {
        assertThat(new TargetFilter(Set.of("sumsub"), Set.of(), Set.of(), false).matches(approved)).isTrue();
        assertThat(new TargetFilter(Set.of("sumsub"), Set.of(), Set.of(), false).matches(started)).isFalse();
        assertThat(new TargetFilter(Set.of(), Set.of("VERIFICATION_STARTED"), Set.of(), false).matches(started)).isTrue();
        assertThat(new TargetFilter(Set.of(), Set.of("VERIFICATION_STARTED"), Set.of(), false).matches(approved)).isFalse();
        assertThat(new TargetFilter(Set.of(), Set.of(), Set.of("APPROVED"), false).matches(approved)).isTrue();
        assertThat(new TargetFilter(Set.of(), Set.of(), Set.of("APPROVED"), false).matches(started)).isFalse();
    }

    @Test
    void aStatusFilterRejectsEventsWithoutStatus() {
        assertThat(new TargetFilter(Set.of(), Set.of(), Set.of("APPROVED", "IN_PROGRESS"), false).matches(noStatus)).isFalse();
    }

    @Test
    void finalOnlyKeepsDecisions() {
        TargetFilter finalOnly = new TargetFilter(Set.of(), Set.of(), Set.of(), true);
        assertThat(finalOnly.matches(approved)).isTrue();
        assertThat(finalOnly.matches(started)).isFalse();
    }

    @Test
    void everyConditionMustHold() {
        TargetFilter strict = new TargetFilter(Set.of("didit"), Set.of("VERIFICATION_COMPLETED"), Set.of("APPROVED"), true);
        assertThat(strict.matches(approved)).isFalse(); // vendor differs
        assertThat(strict.matches(event("didit", CanonicalType.VERIFICATION_COMPLETED, CanonicalStatus.APPROVED, true))).isTrue();
        assertThat(strict.matches(event("didit", CanonicalType.VERIFICATION_COMPLETED, CanonicalStatus.APPROVED, false))).isFalse();
    }
}
