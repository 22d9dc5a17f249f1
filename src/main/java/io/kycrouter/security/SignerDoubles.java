package io.kycrouter.security;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles written as the vendors' signers write them. Python's repr and PHP's json_encode (serialize_precision
 * -1) both print the shortest decimal that reads back as the same double, the one closest to it when several are
 * that short (David Gay's dtoa, mode 0); they differ only in layout. JDK 17's Double.toString is not shortest
 * (fixed in JDK 19), so the digits come from jackson-core's Schubfach writer instead.
 */
final class SignerDoubles {

    private SignerDoubles() {
    }

    /**
     * The shortest decimal that reads back as {@code v} (finite, not zero). Schubfach prints JDK 19's
     * Double.toString form, which never has fewer than two digits: when one digit is enough (5e-324, whose two-
     * digit form is 4.9e-324), the one-digit decimal closest to {@code v} that still reads back as it is taken.
     */
    static BigDecimal shortest(double v) {
        BigDecimal digits = new BigDecimal(NumberOutput.toString(v, true)).stripTrailingZeros();
        if (digits.precision() != 2) {
            return digits;
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = exact.round(new MathContext(1, mode));
            if (candidate.doubleValue() == v && (best == null
                    || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best == null ? digits : best.stripTrailingZeros();
    }

    /**
     * Python's repr(float) as json.dumps writes it: plain from 1e-4 up to 1e16, otherwise "1e-05", "1.5e+16"
     * (no ".0" in the mantissa, at least two exponent digits); the non-finite values as json.dumps spells them.
     */
    static String python(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return isNegativeZero(v) ? "-0.0" : "0.0";
        }
        BigDecimal digits = shortest(v);
        int exponent = digits.precision() - 1 - digits.scale();
        if (exponent >= -4 && exponent < 16) {
            String plain = digits.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return mantissa(digits, false) + String.format("e%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
    }

    /**
     * PHP's json_encode of a float: plain while the decimal point sits at most 17 digits in and the value is at
     * least 1e-4, integer-valued floats without ".0" ("10", "-0"); otherwise "1.0e+17", "1.5e-7" (the mantissa
     * always has a '.', the exponent no padding). Infinite values are not finite JSON: json_encode refuses them.
     */
    static String php(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("PHP's json_encode cannot write " + v);
        }
        if (v == 0) {
            return isNegativeZero(v) ? "-0" : "0";
        }
        BigDecimal digits = shortest(v);
        int pointAt = digits.precision() - digits.scale();
        if (pointAt >= -3 && pointAt <= 17) {
            return digits.toPlainString();
        }
        int exponent = pointAt - 1;
        return mantissa(digits, true) + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }

    private static boolean isNegativeZero(double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }

    /** "-d.ddd" from the digits; a single digit as "d" or, PHP's way, "d.0". */
    private static String mantissa(BigDecimal digits, boolean pointAlways) {
        String unscaled = digits.unscaledValue().abs().toString();
        StringBuilder s = new StringBuilder(unscaled.length() + 3);
        if (digits.signum() < 0) {
            s.append('-');
        }
        s.append(unscaled.charAt(0));
        if (unscaled.length() > 1) {
            s.append('.').append(unscaled, 1, unscaled.length());
        } else if (pointAlways) {
            s.append(".0");
        }
        return s.toString();
    }
}
