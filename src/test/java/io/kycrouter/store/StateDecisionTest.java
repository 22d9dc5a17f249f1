package io.kycrouter.store;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static io.kycrouter.canonical.CanonicalStatus.APPROVED;
import static io.kycrouter.canonical.CanonicalStatus.IN_PROGRESS;
import static io.kycrouter.canonical.CanonicalStatus.NOT_STARTED;
import static io.kycrouter.canonical.CanonicalStatus.PENDING_REVIEW;
import static io.kycrouter.canonical.CanonicalStatus.REJECTED;
import static io.kycrouter.canonical.CanonicalStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

class StateDecisionTest {

    private static final Instant T = Instant.parse("2024-09-30T07:35:52Z");

    private static boolean moves(CanonicalStatus current, Instant currentAt, CanonicalStatus incoming, Instant incomingAt,
                                 CanonicalType type) {
        int rank = current == null ? -1 : current.rank();
        return StateDecision.moves(current, currentAt, rank, incoming, incomingAt, type);
    }

    @Test
    void newerEventMovesEvenToAnEarlierLifecycleStage() {
        assertThat(moves(PENDING_REVIEW, T, APPROVED, T.plusSeconds(1), CanonicalType.VERIFICATION_COMPLETED)).isTrue();
        assertThat(moves(APPROVED, T, IN_PROGRESS, T.plusNanos(1), CanonicalType.VERIFICATION_STARTED)).isTrue();
    }

    @Test
    void olderEventDoesNotMoveEvenToALaterStage() {
        assertThat(moves(PENDING_REVIEW, T, APPROVED, T.minusSeconds(1), CanonicalType.VERIFICATION_COMPLETED)).isFalse();
        assertThat(moves(IN_PROGRESS, T, CanonicalStatus.DELETED, T.minusNanos(1), CanonicalType.VERIFICATION_DELETED)).isFalse();
        assertThat(moves(APPROVED, T, CanonicalStatus.NOT_STARTED, T.minusSeconds(1), CanonicalType.VERIFICATION_RESET))
                .as("an older reset does not move either").isFalse();
    }

    @Test
    void equalTimeHigherRankWins() {
        assertThat(moves(PENDING_REVIEW, T, APPROVED, T, CanonicalType.VERIFICATION_COMPLETED)).isTrue();
        assertThat(moves(APPROVED, T, PENDING_REVIEW, T, CanonicalType.VERIFICATION_SUBMITTED)).isFalse();
        assertThat(moves(NOT_STARTED, T, IN_PROGRESS, T, CanonicalType.VERIFICATION_STARTED)).isTrue();
    }

    @Test
    void equalTimeEqualRankDoesNotMove() {
        assertThat(moves(APPROVED, T, REJECTED, T, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
        assertThat(moves(APPROVED, T, APPROVED, T, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
    }

    @Test
    void theStoredRankIsWhatIsComparedAtEqualTime() {
        // the rank argument, not current.rank(), decides ties
        assertThat(StateDecision.moves(APPROVED, T, 1, PENDING_REVIEW, T, CanonicalType.VERIFICATION_SUBMITTED)).isTrue();
        assertThat(StateDecision.moves(IN_PROGRESS, T, 7, APPROVED, T, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
    }

    @Test
    void equalTimeResetMovesBack() {
        assertThat(moves(APPROVED, T, NOT_STARTED, T, CanonicalType.VERIFICATION_RESET)).isTrue();
        assertThat(moves(REJECTED, T, IN_PROGRESS, T, CanonicalType.VERIFICATION_RESET)).isTrue();
        assertThat(moves(APPROVED, T, NOT_STARTED, T, CanonicalType.VERIFICATION_UPDATED))
                .as("the same status at the same time without a reset does not").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CanonicalStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void nullIncomingStatusNeverMovesAnEstablishedStatus(CanonicalStatus current) {
        assertThat(moves(current, T, null, T.plusSeconds(3600), CanonicalType.VERIFICATION_UPDATED)).isFalse();
        assertThat(moves(current, T, null, T, CanonicalType.VERIFICATION_RESET)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CanonicalStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void unknownIncomingStatusNeverMovesAnEstablishedStatus(CanonicalStatus current) {
        assertThat(moves(current, T, UNKNOWN, T.plusSeconds(3600), CanonicalType.UNKNOWN)).isFalse();
        assertThat(moves(current, T, UNKNOWN, T, CanonicalType.VERIFICATION_RESET)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CanonicalStatus.class)
    void anythingMovesAnUnknownCurrentStatus(CanonicalStatus incoming) {
        assertThat(moves(UNKNOWN, T, incoming, T.minusSeconds(3600), CanonicalType.CHECK_UPDATED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CanonicalStatus.class)
    void anythingMovesAMissingCurrentStatus(CanonicalStatus incoming) {
        assertThat(StateDecision.moves(null, null, -1, incoming, T, CanonicalType.VERIFICATION_CREATED)).isTrue();
        assertThat(StateDecision.moves(null, T, 0, incoming, T.minusSeconds(60), CanonicalType.VERIFICATION_CREATED)).isTrue();
    }

    @Test
    void nothingMovesAMissingStatusWithoutAStatus() {
        assertThat(StateDecision.moves(null, null, -1, null, T, CanonicalType.CHECK_UPDATED)).isFalse();
    }

    @Test
    void anUnknownTimeIsOlderThanEveryKnownTime() {
        // an event whose time could not be read never overturns a status set at a known time...
        assertThat(moves(APPROVED, T, REJECTED, null, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
        assertThat(moves(PENDING_REVIEW, Instant.EPOCH, APPROVED, null, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
        assertThat(moves(APPROVED, T, NOT_STARTED, null, CanonicalType.VERIFICATION_RESET)).isFalse();
        // ...any event with a known time overturns a status set at an unknown one...
        assertThat(moves(APPROVED, null, IN_PROGRESS, Instant.EPOCH, CanonicalType.VERIFICATION_STARTED)).isTrue();
        // ...and between two unknown times, the lifecycle decides as at equal times
        assertThat(moves(PENDING_REVIEW, null, APPROVED, null, CanonicalType.VERIFICATION_COMPLETED)).isTrue();
        assertThat(moves(APPROVED, null, REJECTED, null, CanonicalType.VERIFICATION_COMPLETED)).isFalse();
    }
}
