package io.kycrouter.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signatures (standardwebhooks.com): {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "{webhook-id}.{webhook-timestamp}.{body}">}, keyed with the base64-decoded part of a "whsec_" secret. With
 * several keys the header carries one signature per key, space-separated, as the specification allows; a
 * receiver accepts the delivery when any one verifies with its secret.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {
    }

    /** The {@code webhook-signature} header value: one {@code v1,<signature>} per key, in the keys' order. */
    public static String sign(List<byte[]> keys, String id, long timestamp, String body) {
        StringBuilder header = new StringBuilder(keys.size() * 48);
        for (byte[] key : keys) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append(sign(key, id, timestamp, body));
        }
        return header.toString();
    }

    public static String sign(byte[] key, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
