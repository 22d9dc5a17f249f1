package io.kycrouter.canonical;

import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.Settings;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The client's user reference (externalUserId) as the canonical event carries it, per vendor
 * ({@code kyc.canonical.external-user-id}, overridden by {@code kyc.vendor.<v>.external-user-id}):
 * <ul>
 * <li>{@code plain}: as the vendor sent it, but an e-mail address becomes {@code sha256:<hex>} ({@link PersonalData});</li>
 * <li>{@code hash}: {@code hmac-sha256:<hex>}, an HMAC-SHA256 keyed with {@code kyc.canonical.external-user-id-pepper}
 * of the value (an e-mail address lower-cased first). A keyed hash because user references are often short numbers
 * or guessable strings: an unkeyed SHA-256 of them is reversed by hashing every candidate. The client, who holds
 * the pepper, computes the same HMAC to find its user.</li>
 * </ul>
 */
public final class UserReferences {

    /** Shorter peppers are guessable; 32 characters of a random string are plenty for HMAC-SHA256. */
    static final int MIN_PEPPER_LENGTH = 32;

    enum Mode { PLAIN, HASH }

    private final Mode defaultMode;
    private final Map<String, Mode> vendorModes;
    private final byte[] pepper;

    private UserReferences(Mode defaultMode, Map<String, Mode> vendorModes, byte[] pepper) {
        this.defaultMode = defaultMode;
        this.vendorModes = Map.copyOf(vendorModes);
        this.pepper = pepper;
    }

    /** Every vendor plain (e-mail addresses still pseudonymised). */
    public static UserReferences plain() {
        return new UserReferences(Mode.PLAIN, Map.of(), null);
    }

    /** Reads the global mode, each vendor's override and the pepper; a hash mode without a usable pepper fails start-up. */
    public static UserReferences load(Settings kyc, Collection<String> vendors) {
        Mode global = mode(kyc, "canonical.external-user-id", Mode.PLAIN);
        Map<String, Mode> perVendor = new HashMap<>();
        boolean hashing = global == Mode.HASH;
        for (String vendor : vendors) {
            Mode mode = mode(kyc, "vendor." + vendor + ".external-user-id", global);
            perVendor.put(vendor.toLowerCase(Locale.ROOT), mode);
            hashing |= mode == Mode.HASH;
        }
        byte[] pepper = null;
        if (hashing) {
            String key = "canonical.external-user-id-pepper";
            String value = kyc.get(key).orElseThrow(() -> new ConfigException(kyc.key(key)
                    + " is required when an external-user-id setting is hash (set KYC_EXTERNAL_USER_ID_PEPPER)"));
            if (value.length() < MIN_PEPPER_LENGTH) {
                throw new ConfigException(kyc.key(key) + " must be at least " + MIN_PEPPER_LENGTH + " characters long");
            }
            pepper = value.getBytes(StandardCharsets.UTF_8);
        }
        return new UserReferences(global, perVendor, pepper);
    }

    private static Mode mode(Settings kyc, String key, Mode fallback) {
        String value = kyc.get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "plain" -> Mode.PLAIN;
            case "hash" -> Mode.HASH;
            default -> throw new ConfigException(kyc.key(key) + " must be plain or hash, not '" + value + "'");
        };
    }

    /** The reference as the event carries it for this vendor; null stays null. */
    public String of(String vendor, String value) {
        if (value == null) {
            return null;
        }
        Mode mode = vendor == null ? defaultMode : vendorModes.getOrDefault(vendor.toLowerCase(Locale.ROOT), defaultMode);
        if (mode == Mode.PLAIN) {
            return PersonalData.userReference(value);
        }
        String trimmed = value.trim();
        String normalised = PersonalData.isEmail(trimmed) ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // not thread-safe: one per call
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every Java platform has HmacSHA256
        }
    }
}
