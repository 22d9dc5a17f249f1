package io.kycrouter.canonical;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps personal data out of the canonical event. Vendors echo the client's own user reference, and some
 * clients put an e-mail address there (Didit's vendor_data example does): such a value is replaced by
 * {@code sha256:<hex of the lower-cased address>}, which the client can compute to find its user.
 * Free text (reason messages) is cut short and has e-mail addresses and long digit runs masked.
 */
public final class PersonalData {

    // Bounded quantifiers, and inputs cut short before matching: vendor text never makes a regex run long.
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}+@[^\\s@]{1,253}+");
    private static final Pattern DIGITS = Pattern.compile("\\d[\\d -]{6,40}\\d");

    private PersonalData() {
    }

    public static String userReference(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() <= 320 && trimmed.contains("@") && EMAIL.matcher(trimmed).matches() && trimmed.contains(".")) {
            return "sha256:" + sha256(trimmed.toLowerCase(Locale.ROOT));
        }
        return trimmed.length() > 200 ? trimmed.substring(0, 200) : trimmed;
    }

    public static String freeText(String value) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        boolean cut = text.length() > 300;
        if (cut) {
            text = text.substring(0, 300);
        }
        String masked = DIGITS.matcher(EMAIL.matcher(text).replaceAll("[email]")).replaceAll("[number]");
        return cut ? masked + "…" : masked;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
