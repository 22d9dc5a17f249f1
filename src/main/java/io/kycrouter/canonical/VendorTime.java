package io.kycrouter.canonical;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Turns every timestamp shape the vendors send into one UTC instant:
 * epoch seconds (10 digits), milliseconds (13), Treezor's 1e-4 seconds (14), microseconds (16),
 * nanoseconds (19), decimal epoch seconds, {@code yyyy-MM-dd HH:mm:ss[.fraction]} (UTC),
 * {@code yyyy-MM-dd HH:mm:ss+0000}, and ISO-8601 with or without zone (without: UTC).
 */
public final class VendorTime {

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter ZONED = new DateTimeFormatterBuilder()
            .append(LOCAL)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:MM:ss", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter ZONED_COMPACT = new DateTimeFormatterBuilder()
            .append(LOCAL)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HHMM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private VendorTime() {
    }

    /** Parses a number or a string; throws {@link IllegalArgumentException} naming the unrecognised shape. */
    public static Instant parse(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("no timestamp");
        }
        if (value instanceof Number number) {
            return fromEpoch(asDecoded(new BigDecimal(number.toString())));
        }
        String text = value.toString().trim();
        if (isDecimal(text)) {
            return fromEpoch(new BigDecimal(text));
        }
        if (!hasZone(text)) { // the common vendor shape; parse it without first failing the zoned ones
            try {
                return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // not a local date-time either: the zoned shapes below will say so
            }
        }
        for (DateTimeFormatter zoned : new DateTimeFormatter[] {ZONED, ZONED_COMPACT}) {
            try {
                return OffsetDateTime.parse(text, zoned).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the next shape
            }
        }
        try {
            return LocalDateTime.parse(text, LOCAL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unrecognised timestamp shape (" + text.length() + " characters)");
        }
    }

    /**
     * A JSON number with a fraction, as the vendor's own JSON library holds it: a binary double (Python, PHP and
     * JavaScript all decode it so, and a signature over a re-encoding, Didit's X-Signature-V2, covers only that
     * double). Texts that decode to one double ({@code 1727681886}, {@code 1727681886.0}, {@code 1727681886.0000001})
     * are one signed time, so they must be one event time too. A string is signed as written and is left alone.
     */
    static BigDecimal asDecoded(BigDecimal number) {
        if (number.scale() <= 0 || number.stripTrailingZeros().scale() <= 0) {
            return number;
        }
        double decoded = number.doubleValue();
        return Double.isFinite(decoded) ? new BigDecimal(Double.toString(decoded)) : number;
    }

    /** digits, optionally with one decimal point between digits */
    private static boolean isDecimal(String text) {
        int dot = -1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '.' && dot < 0 && i > 0 && i < text.length() - 1) {
                dot = i;
            } else if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** an offset or Z after the date part ({@code yyyy-MM-dd} is 10 characters) */
    private static boolean hasZone(String text) {
        if (text.length() <= 10) {
            return false;
        }
        char last = text.charAt(text.length() - 1);
        return last == 'Z' || last == 'z' || text.indexOf('+', 10) >= 0 || text.indexOf('-', 10) >= 0;
    }

    static Instant fromEpoch(BigDecimal value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("negative timestamp");
        }
        int digits = value.setScale(0, RoundingMode.DOWN).toPlainString().length();
        BigDecimal nanosPerUnit;
        if (value.scale() > 0 && digits <= 11) {
            nanosPerUnit = BigDecimal.valueOf(1_000_000_000L); // decimal seconds
        } else if (digits <= 11) {
            nanosPerUnit = BigDecimal.valueOf(1_000_000_000L); // seconds
        } else if (digits <= 13) {
            nanosPerUnit = BigDecimal.valueOf(1_000_000L); // milliseconds
        } else if (digits == 14) {
            nanosPerUnit = BigDecimal.valueOf(100_000L); // Treezor: 1e-4 seconds
        } else if (digits <= 16) {
            nanosPerUnit = BigDecimal.valueOf(1_000L); // microseconds
        } else if (digits <= 19) {
            nanosPerUnit = BigDecimal.ONE; // nanoseconds
        } else {
            throw new IllegalArgumentException("timestamp has too many digits");
        }
        BigDecimal nanos = value.multiply(nanosPerUnit).setScale(0, RoundingMode.DOWN);
        BigDecimal[] split = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Instant.ofEpochSecond(split[0].longValueExact(), split[1].longValueExact());
    }
}
