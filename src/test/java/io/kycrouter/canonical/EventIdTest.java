package io.kycrouter.canonical;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-29T23:45:12.345Z");

    @Test
    void isAVersion7UuidCarryingTheMillisecondReceived() {
        UUID id = UUID.fromString(CanonicalEventBuilder.eventId("sumsub", "applicantReviewed:abc", RECEIVED));
        assertEquals(7, id.version());
        assertEquals(2, id.variant()); // RFC 9562 variant (10xx)
        assertEquals(RECEIVED.toEpochMilli(), id.getMostSignificantBits() >>> 16);
    }

    @Test
    void theSameDeliveryAlwaysGetsTheSameId() {
        assertEquals(CanonicalEventBuilder.eventId("didit", "k1", RECEIVED), CanonicalEventBuilder.eventId("didit", "k1", RECEIVED));
        assertNotEquals(CanonicalEventBuilder.eventId("didit", "k1", RECEIVED), CanonicalEventBuilder.eventId("didit", "k2", RECEIVED));
        assertNotEquals(CanonicalEventBuilder.eventId("didit", "k1", RECEIVED), CanonicalEventBuilder.eventId("argos", "k1", RECEIVED));
    }

    @Test
    void laterDeliveriesSortAfterEarlierOnes() {
        String earlier = CanonicalEventBuilder.eventId("treezor", "zzzz", RECEIVED);
        String later = CanonicalEventBuilder.eventId("treezor", "aaaa", RECEIVED.plusMillis(1));
        assertTrue(earlier.compareTo(later) < 0, earlier + " should sort before " + later);
    }

    @Test
    void eachMappingOfADeliveryHasItsOwnIdAndTheFirstKeepsTheIdItAlwaysHad() {
        String first = CanonicalEventBuilder.eventId("didit", "k1", RECEIVED);
        assertEquals(first, CanonicalEventBuilder.eventId("didit", "k1", RECEIVED, 0));
        String second = CanonicalEventBuilder.eventId("didit", "k1", RECEIVED, 1);
        assertNotEquals(first, second);
        assertNotEquals(second, CanonicalEventBuilder.eventId("didit", "k1", RECEIVED, 2));
        assertEquals(second, CanonicalEventBuilder.eventId("didit", "k1", RECEIVED, 1)); // a retried remap: the same id
        assertEquals(RECEIVED.toEpochMilli(), UUID.fromString(second).getMostSignificantBits() >>> 16);
    }
}
