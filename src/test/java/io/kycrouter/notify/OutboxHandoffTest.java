package io.kycrouter.notify;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxHandoffTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static OutboxHandoff.Claimed row(long id, String target) {
        return new OutboxHandoff.Claimed(new OutboxRow(id, "e" + id, target, "didit", "v" + id, id, 0, NOW, "{}"),
                NOW.plusSeconds(60));
    }

    static List<Long> ids(List<OutboxHandoff.Claimed> rows) {
        return rows.stream().map(c -> c.row().id()).toList();
    }

    @Test
    void rowsAreTakenPerTargetOldestFirstAtMostMaxAtATime() {
        OutboxHandoff handoff = new OutboxHandoff(Duration.ofSeconds(60), 10);
        handoff.offer(List.of(row(1, "crm"), row(2, "bus"), row(3, "crm"), row(4, "crm")));
        assertThat(ids(handoff.take("crm", 2))).containsExactly(1L, 3L);
        assertThat(ids(handoff.take("crm", 2))).containsExactly(4L);
        assertThat(handoff.take("crm", 2)).isEmpty();
        assertThat(handoff.isEmpty("crm")).isTrue();
        assertThat(handoff.isEmpty("bus")).isFalse();
        assertThat(ids(handoff.take("bus", 5))).containsExactly(2L);
    }

    @Test
    void aTargetHasRoomUntilItsCapacityIsHeldAndAgainOnceTaken() {
        OutboxHandoff handoff = new OutboxHandoff(Duration.ofSeconds(60), 2);
        assertThat(handoff.hasRoom("crm")).isTrue();
        handoff.offer(List.of(row(1, "crm"), row(2, "crm")));
        assertThat(handoff.hasRoom("crm")).isFalse();
        assertThat(handoff.hasRoom("bus")).as("each target has its own room").isTrue();
        handoff.take("crm", 1);
        assertThat(handoff.hasRoom("crm")).isTrue();
    }

    @Test
    void capacityZeroTurnsTheHandoffOff() {
        assertThat(new OutboxHandoff(Duration.ofSeconds(60), 0).hasRoom("crm")).isFalse();
        assertThat(new OutboxHandoff(Duration.ofSeconds(60), -5).hasRoom("crm")).isFalse();
    }

    @Test
    void clearForgetsEveryRowAndFreesTheRoom() {
        OutboxHandoff handoff = new OutboxHandoff(Duration.ofSeconds(60), 2);
        handoff.offer(List.of(row(1, "crm"), row(2, "crm"), row(3, "bus")));
        handoff.clear();
        assertThat(handoff.isEmpty("crm")).isTrue();
        assertThat(handoff.isEmpty("bus")).isTrue();
        assertThat(handoff.hasRoom("crm")).isTrue();
    }

    @Test
    void eachInstanceHasItsOwnNameAndTheConfiguredLease() {
        OutboxHandoff one = new OutboxHandoff(Duration.ofSeconds(7), 1);
        OutboxHandoff two = new OutboxHandoff(Duration.ofSeconds(7), 1);
        assertThat(one.instance()).isNotEqualTo(two.instance()).hasSize(36);
        assertThat(one.lease()).isEqualTo(Duration.ofSeconds(7));
    }
}
