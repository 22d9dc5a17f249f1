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
    // A code, [A-Za-z0-9_.:-]{1,64}, and a check result ("Approved", "Not Screened", "SUCCESS_DATA_CHANGED": at most
    // three such words of up to 40 characters, single spaces) are read by isWord and isWords below.
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
        return value != null && isWord(value, 0, value.length(), 64) && !shapedLikePersonalData(value);
    }

    /** A check result: up to three such words, 40 characters in all, not shaped like personal data. */
    public static boolean isCheckResult(String value) {
        return value != null && value.length() <= 40 && isWords(value, 3) && !shapedLikePersonalData(value);
    }

    /** A vendor's identifier (relatedId): one bounded token, no spaces. Vendor ids are often long digit runs or UUIDs. */
    public static boolean isIdentifier(String value) {
        return value != null && isWord(value, 0, value.length(), 256);
    }

    // The checks below run on every reason code and check result of every event: plain character loops, no regex
    // (they accept what the patterns [A-Za-z0-9_.:-]{1,max} and words of it accepted; ValueShapeTest holds both).

    /** Characters [from, to) of the value are one word of [A-Za-z0-9_.:-], 1 to max characters. */
    private static boolean isWord(String value, int from, int to, int max) {
        if (to <= from || to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char ch = value.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '.'
                    || ch == ':' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    /** One to {@code maxWords} words of up to 40 characters each, separated by single spaces. */
    private static boolean isWords(String value, int maxWords) {
        int words = 0;
        int start = 0;
        while (true) {
            int space = value.indexOf(' ', start);
            int end = space < 0 ? value.length() : space;
            if (++words > maxWords || !isWord(value, start, end, 40)) {
                return false;
            }
            if (space < 0) {
                return true;
            }
            start = space + 1;
        }
    }

    /**
     * A birth or other date, an IP address, a phone or other number: called with short, bounded values only. The
     * patterns run only where they can match: a date or an IPv4 address has at least three digits, an IPv6 address
     * two colons (a code such as DOCUMENT_EXPIRED is looked at once, without a regex).
     */
    private static boolean shapedLikePersonalData(String value) {
        int digits = 0;
        int colons = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (Character.isDigit(ch)) {
                digits++;
            } else if (ch == ':') {
                colons++;
            }
        }
        return digits > MAX_DIGITS
                || digits >= 3 && (IPV4.matcher(value).find() || DATE.matcher(value).find())
                || colons >= 2 && IPV6.matcher(value).matches();
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
