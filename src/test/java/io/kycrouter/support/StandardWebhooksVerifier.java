package io.kycrouter.support;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;

import java.nio.charset.StandardCharsets;

/**
 * Checks a notification's signature with the official Standard Webhooks library (com.standardwebhooks), exactly
 * as a receiver checks it, so the tests never compare the router's signature with a copy of the router's own code.
 */
public final class StandardWebhooksVerifier {

    private StandardWebhooksVerifier() {
    }

    /**
     * Fails unless {@code request} carries a valid signature made with {@code secret} (a whsec_ key or a plain-text
     * secret, as the target is configured) over its webhook-id, webhook-timestamp (within the library's tolerance
     * of the current time) and body.
     */
    public static void assertSignedWith(String secret, TestReceiver.Request request) {
        try {
            receiverOf(secret).verify(request.body(), request.headers());
        } catch (WebhookVerificationException e) {
            throw new AssertionError("notification " + request.header("webhook-id") + " is not signed with the target's secret: "
                    + e.getMessage() + " (webhook-signature: " + request.header("webhook-signature") + ")", e);
        }
    }

    /** The library's verifier for a target secret: whsec_ and base64 is the key itself, any other text its UTF-8 bytes. */
    public static Webhook receiverOf(String secret) {
        try {
            return secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret.getBytes(StandardCharsets.UTF_8));
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("an empty webhook secret", e);
        }
    }
}
