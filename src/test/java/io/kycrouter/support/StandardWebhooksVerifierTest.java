package io.kycrouter.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The helper accepts what the library signed with the same secret and nothing else. */
class StandardWebhooksVerifierTest {

    static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String PLAIN = "a plain-text secret of 24 bytes or more";

    static TestReceiver.Request signed(String secret, String body) throws Exception {
        String id = "msg_1";
        long timestamp = Instant.now().getEpochSecond();
        String signature = StandardWebhooksVerifier.receiverOf(secret).sign(id, timestamp, body);
        return new TestReceiver.Request("/", Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(String.valueOf(timestamp)),
                "webhook-signature", List.of(signature)), body, 200);
    }

    @Test
    void acceptsASignatureOfTheSameSecretWhsecOrPlainText() throws Exception {
        StandardWebhooksVerifier.assertSignedWith(WHSEC, signed(WHSEC, "{\"a\":1}"));
        StandardWebhooksVerifier.assertSignedWith(PLAIN, signed(PLAIN, "{\"a\":1}"));
        assertThat(StandardWebhooksVerifier.receiverOf(PLAIN).sign("m", 1, "x"))
                .isEqualTo(new com.standardwebhooks.Webhook(PLAIN.getBytes(StandardCharsets.UTF_8)).sign("m", 1, "x"));
    }

    @Test
    void refusesAnotherSecretOrAnAlteredBody() throws Exception {
        TestReceiver.Request request = signed(WHSEC, "{\"a\":1}");
        assertThatThrownBy(() -> StandardWebhooksVerifier.assertSignedWith(PLAIN, request))
                .isInstanceOf(AssertionError.class).hasMessageContaining("msg_1");
        TestReceiver.Request altered = new TestReceiver.Request(request.uri(), request.headers(), "{\"a\":2}", 200);
        assertThatThrownBy(() -> StandardWebhooksVerifier.assertSignedWith(WHSEC, altered)).isInstanceOf(AssertionError.class);
    }
}
