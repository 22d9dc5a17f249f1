package io.kycrouter.vendors;

import io.kycrouter.delivery.JsonBodies;
import io.kycrouter.security.AuthScheme;
import io.kycrouter.security.OutgoingWebhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Signs a payload as a vendor sends it, from the vendor's own settings: encrypted first when the vendor encrypts
 * (the router authenticates the envelope, then decrypts), then signed by one of its authentication schemes.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    /**
     * @param schemeName the scheme to sign with, or null for the first of the vendor's schemes that has a credential
     * @throws MissingCredential when that scheme (or every scheme) has no credential configured
     */
    public static OutgoingWebhook sign(VendorDefinition vendor, Settings kyc, String schemeName, byte[] payload,
                                       JsonBodies json, Instant now) {
        Settings settings = kyc.child("vendor").child(vendor.name());
        List<String> configured = settings.list("auth");
        if (schemeName != null && !configured.contains(schemeName)) {
            throw new IllegalArgumentException("vendor " + vendor.name() + " has no scheme '" + schemeName
                    + "' (" + settings.key("auth") + " = " + String.join(", ", configured) + ")");
        }
        String wanted = schemeName != null ? schemeName : configured.stream()
                .filter(name -> vendor.authSchemes().stream().anyMatch(s -> s.name().equals(name)))
                .findFirst().orElse(configured.isEmpty() ? null : configured.get(0));
        Optional<AuthScheme> scheme = vendor.authSchemes().stream().filter(s -> s.name().equals(wanted)).findFirst();
        if (scheme.isEmpty()) {
            throw new MissingCredential(settings.child("auth").child(wanted == null ? "?" : wanted));
        }
        OutgoingWebhook webhook = new OutgoingWebhook(vendor.name(), vendor.envelope(), payload, json);
        if (vendor.decryption() != null) {
            vendor.decryption().encrypt(webhook);
        }
        scheme.get().sign(webhook, now);
        return webhook;
    }

    /** A scheme without its secret: names the keys that hold it. */
    public static final class MissingCredential extends RuntimeException {

        private final transient Settings scheme;

        MissingCredential(Settings scheme) {
            super(null, null, false, false);
            this.scheme = scheme;
        }

        /** The keys that hold the scheme's credential, for its type (hmac: secrets; basic: user, passwords; token: tokens). */
        public List<String> keys() {
            return switch (scheme.get("type", "hmac")) {
                case "basic" -> List.of(scheme.key("user"), scheme.key("passwords"));
                case "token" -> List.of(scheme.key("tokens"));
                default -> List.of(scheme.key("secrets"));
            };
        }

        /** Whether the scheme is switched off ({@code enabled = false}) rather than missing its secret. */
        public boolean disabled() {
            return !scheme.bool("enabled", true);
        }

        @Override
        public String getMessage() {
            return (disabled() ? scheme.key("enabled") + " is false" : "no credential in " + String.join(", ", keys()));
        }
    }
}
