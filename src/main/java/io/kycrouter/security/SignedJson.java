package io.kycrouter.security;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Re-encodes a parsed JSON value exactly as a vendor's signer serialised it, for signatures computed
 * over JSON rather than over the raw bytes.
 * <ul>
 *   <li>{@link #sortedCompact}: Python's {@code json.dumps(v, sort_keys=True, separators=(",", ":"),
 *   ensure_ascii=False)} after integer-valued floats became integers (Didit X-Signature-V2).</li>
 *   <li>{@link #php}: PHP's {@code json_encode(v)}: key order as received, {@code /} escaped as {@code \/},
 *   non-ASCII as lowercase {@code \}{@code uXXXX}, beyond U+FFFF as surrogate pairs, floats as PHP prints them
 *   (Treezor).</li>
 * </ul>
 * Floats arrive as {@link BigDecimal} holding the sender's own digits, so no binary rounding creeps in.
 */
public final class SignedJson {

    private SignedJson() {
    }

    public static String sortedCompact(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, true, out);
        return out.toString();
    }

    public static String php(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, false, out);
        return out.toString();
    }

    /** One writer for both styles: they differ in key order, string escaping and number form only. */
    private static void write(Object value, boolean python, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object key : map.keySet()) {
                keys.add(String.valueOf(key));
            }
            if (python) {
                keys.sort(SignedJson::compareCodePoints);
            }
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(keys.get(i), python, out);
                out.append(':');
                write(map.get(keys.get(i)), python, out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, python, out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            string(s, python, out);
        } else if (value instanceof BigDecimal d) {
            out.append(python ? pythonNumber(d) : phpNumber(d));
        } else {
            out.append(value == null ? "null" : value.toString());
        }
    }

    /** Python sorts str keys by code point, not by UTF-16 unit. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The signer parsed the float into a binary double, as Python and PHP do: the value is rounded the same way
     * here, then written in its shortest decimal form.
     */
    static BigDecimal asDouble(BigDecimal d) {
        double value = d.doubleValue();
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            return d;
        }
        if (value == Math.rint(value)) {
            return new BigDecimal(value); // exact binary value, e.g. 1e23 -> 99999999999999991611392
        }
        return new BigDecimal(Double.toString(value));
    }

    /** An integer-valued float is written as an integer; any other as Python's repr() writes it. */
    static String pythonNumber(BigDecimal d) {
        BigDecimal stripped = asDouble(d).stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return stripped.toBigIntegerExact().toString();
        }
        int exponent = stripped.precision() - 1 - stripped.scale();
        if (exponent >= -4 && exponent < 16) {
            return stripped.toPlainString();
        }
        return scientific(stripped, exponent, "e%s%02d");
    }

    /**
     * PHP 7.1+ json_encode (serialize_precision -1, no JSON_PRESERVE_ZERO_FRACTION): shortest digits,
     * integer-valued floats without ".0", scientific from 1e17 and below 1e-4 ("1.0e-5", "1.5e+20").
     */
    static String phpNumber(BigDecimal d) {
        BigDecimal exact = asDouble(d);
        if (exact.scale() <= 0 && exact.precision() > 17) {
            exact = new BigDecimal(Double.toString(exact.doubleValue())); // shortest digits, as PHP prints them
        }
        BigDecimal stripped = exact.stripTrailingZeros();
        int exponent = stripped.precision() - 1 - stripped.scale();
        if (exponent >= -4 && exponent < 17) {
            return stripped.toPlainString();
        }
        String s = scientific(stripped, exponent, "e%s%d");
        return s.contains(".") ? s : s.replaceFirst("e", ".0e");
    }

    private static String scientific(BigDecimal stripped, int exponent, String exponentFormat) {
        BigInteger unscaled = stripped.unscaledValue();
        String digits = unscaled.abs().toString();
        StringBuilder s = new StringBuilder();
        if (unscaled.signum() < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        s.append(String.format(exponentFormat, exponent < 0 ? "-" : "+", Math.abs(exponent)));
        return s.toString();
    }

    /**
     * Python (ensure_ascii=False) escapes only quotes, backslashes and control characters; PHP also escapes
     * '/' and every non-ASCII character as lowercase \\uXXXX (a Java char is already a UTF-16 unit, so
     * characters beyond U+FFFF come out as surrogate pairs, as PHP writes them).
     */
    private static void string(String s, boolean python, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '/' -> out.append(python ? "/" : "\\/");
                default -> {
                    if (c < 0x20 || (!python && c >= 0x80)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
