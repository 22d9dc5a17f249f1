package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;

import java.time.Instant;

/** One way a vendor proves a delivery is theirs: an HMAC signature, HTTP Basic credentials, a shared token. */
public interface AuthScheme {

    /** The scheme's name in configuration, for example {@code digest} in {@code kyc.vendor.sumsub.auth.digest.*}. */
    String name();

    /** Where the credential is expected, for error messages ("header X-Signature"). */
    String expects();

    /** Whether the delivery carries this scheme's credential at all. */
    boolean present(Delivery delivery);

    /**
     * Whether this scheme's credential travels outside the body (a header, the query, the path), so that
     * {@link #present} can be asked of a delivery whose body has not been read yet.
     */
    default boolean seenBeforeBody() {
        return false;
    }

    /** Verifies the credential; throws {@link io.kycrouter.delivery.DeliveryRejected} (401) saying why it fails. */
    void verify(Delivery delivery, Instant now);

    /**
     * Signs a webhook as the vendor would, with the first configured credential: the inverse of {@link #verify}
     * (used by the {@code send} command).
     */
    void sign(OutgoingWebhook webhook, Instant now);
}
