package io.kycrouter.security;

import io.kycrouter.delivery.DeliveryRejected;

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
 *   (Treezor). Give it {@link PhpJsonValues}, which keeps the negative zeros PHP writes.</li>
 * </ul>
 * Floats may arrive as {@link BigDecimal} (the shared parse) or {@link Double}; either way they are rounded to
 * the double the signer held, as Python and PHP parse them, and written in the signer's shortest form.
 * SignerCorpusTest checks both against the real signers' output (src/test/resources/signers).
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
        } else if (value instanceof Number n) {
            out.append(python ? pythonNumber(n) : phpNumber(n));
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
     * Didit's shorten_floats: an integer-valued float becomes an int, written in full (1e23 is the double
     * 99999999999999991611392, -0.0 is 0); any other float as Python's repr writes it. Floats are first rounded to
     * the double the signer parsed. Integers are Python ints: written as received.
     */
    static String pythonNumber(Number n) {
        if (!isFloat(n)) {
            return n.toString();
        }
        double v = n.doubleValue();
        if (Double.isFinite(v) && v == Math.rint(v)) {
            return new BigDecimal(v).toBigInteger().toString();
        }
        return SignerDoubles.python(v);
    }

    /**
     * PHP's json_encode (serialize_precision -1, no JSON_PRESERVE_ZERO_FRACTION) of what json_decode made of the
     * number: a float (or an integer beyond 64 bits) as the double PHP holds, shortest digits, "10", "-0",
     * "1.0e+17", "1.0e-5"; a 64-bit integer as it is.
     */
    static String phpNumber(Number n) {
        if (n instanceof BigInteger big && big.bitLength() >= 64) {
            return phpFloat(big.doubleValue());
        }
        return isFloat(n) ? phpFloat(n.doubleValue()) : n.toString();
    }

    private static String phpFloat(double v) {
        if (!Double.isFinite(v)) {
            throw DeliveryRejected.unauthorized("signature mismatch: the signed JSON holds a number beyond the"
                    + " double range, which PHP's json_encode cannot write");
        }
        return SignerDoubles.php(v);
    }

    private static boolean isFloat(Number n) {
        return n instanceof BigDecimal || n instanceof Double || n instanceof Float;
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
