package io.kycrouter.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A delivery's body is decoded once: the text parsed is the text a signer re-reads and the inbox stores. */
class DeliveryTest {

    private static final JsonBodies JSON = new JsonBodies();

    private static Delivery delivery(byte[] body) {
        return new Delivery("sumsub", null, body, name -> null, name -> null, Instant.EPOCH, JSON);
    }

    @Test
    void theBodyIsDecodedOnceAndParsedFromThatText() {
        String body = "{\"type\":\"applicantReviewed\",\"note\":\"Zoë ✓ 𝄞\"}";
        Delivery delivery = delivery(body.getBytes(StandardCharsets.UTF_8));
        String text = delivery.text();
        assertThat(text).isEqualTo(body);
        assertThat(delivery.json()).containsEntry("note", "Zoë ✓ 𝄞");
        assertThat(delivery.text()).isSameAs(text);
    }

    @Test
    void aStoredDeliveryIsReadFromTheTextTheInboxHolds() {
        String stored = "{\"type\":\"applicantPending\"}";
        Delivery delivery = Delivery.stored("sumsub", null, stored, Instant.EPOCH, JSON);
        assertThat(delivery.text()).isSameAs(stored);
        assertThat(delivery.json()).containsEntry("type", "applicantPending");
        assertThat(delivery.body()).isEqualTo(stored.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedWhetherItsTextOrItsJsonIsAskedFor() {
        byte[] latin1 = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> delivery(latin1).text()).isInstanceOf(DeliveryRejected.class)
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> delivery(latin1).json()).isInstanceOf(DeliveryRejected.class)
                .hasMessageContaining("not valid UTF-8");
    }
}
