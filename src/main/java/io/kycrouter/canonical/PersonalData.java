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
 * <p>
 * Vendors' free text (reject comments, result details, reviewers' notes) may hold names, birth dates, addresses,
 * IP addresses and phone numbers, so it never reaches the event: reasons are codes, check results are short
 * enumerations, related ids are identifiers. A value a route maps there that does not look like one is replaced
 * by {@link #UNRECOGNISED_CODE} or {@link #UNRECOGNISED_VALUE} (the delivery, in the inbox, keeps it). The shape
 * tests stop sentences, addresses, dates, IP addresses and phone numbers; a bare word cannot be told from a code,
 * which is why routes map only the fields a vendor documents as codes or enumerations.
 * A catalogue text (a message the vendor documents as fixed) is cut short and has e-mail addresses and long digit
 * runs masked.
 */
public final class PersonalData {

    /** Stands for a reason code that is not a code. */
    public static final String UNRECOGNISED_CODE = "UNRECOGNISED_CODE";
    /** Stands for a check result that is not a short enumeration value. */
    public static final String UNRECOGNISED_VALUE = "UNRECOGNISED_VALUE";

    // Bounded quantifiers, and inputs cut short before matching: vendor text never makes a regex run long.
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}+@[^\\s@]{1,253}+");
    private static final Pattern DIGITS = Pattern.compile("\\d[\\d -]{6,40}\\d");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    // "Approved", "Not Screened", "SUCCESS_DATA_CHANGED": at most three words, single spaces
    private static final Pattern CHECK_RESULT = Pattern.compile("[A-Za-z0-9_.:-]{1,40}(?: [A-Za-z0-9_.:-]{1,40}){0,2}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:-]{1,256}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}");
    private static final Pattern DATE = Pattern.compile("\\d{1,4}[-./]\\d{1,2}[-./]\\d{1,4}");
    /** More digits than this in a code or check result reads as a phone number or a date, not as a code. */
    private static final int MAX_DIGITS = 6;

    private PersonalData() {
    }

    public static String userReference(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (isEmail(trimmed)) {
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

    /** A reason code: a bounded identifier ({@code [A-Za-z0-9_.:-]{1,64}}) that is not shaped like personal data. */
    public static boolean isCode(String value) {
        return value != null && value.length() <= 64 && CODE.matcher(value).matches() && !shapedLikePersonalData(value);
    }

    /** A check result: up to three such words, 40 characters in all, not shaped like personal data. */
    public static boolean isCheckResult(String value) {
        return value != null && value.length() <= 40 && CHECK_RESULT.matcher(value).matches() && !shapedLikePersonalData(value);
    }

    /** A vendor's identifier (relatedId): one bounded token, no spaces. Vendor ids are often long digit runs or UUIDs. */
    public static boolean isIdentifier(String value) {
        return value != null && value.length() <= 256 && IDENTIFIER.matcher(value).matches();
    }

    /** A birth or other date, an IP address, a phone or other number: called with short, bounded values only. */
    private static boolean shapedLikePersonalData(String value) {
        long digits = value.chars().filter(Character::isDigit).count();
        return digits > MAX_DIGITS || IPV4.matcher(value).find() || DATE.matcher(value).find() || IPV6.matcher(value).matches();
    }

    static boolean isEmail(String trimmed) {
        return trimmed.length() <= 320 && trimmed.contains("@") && EMAIL.matcher(trimmed).matches() && trimmed.contains(".");
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
