package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonField;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Times that must lie within a tolerance of now, so captured deliveries can't be replayed later: a timestamp header,
 * and a timestamp field of the signed body. A header that the signature does not cover (Didit's X-Timestamp outside
 * the Simple scheme) can be set afresh by whoever replays a delivery; the signed field cannot, so where the vendor
 * puts one in its body it is checked too, after the signature verified.
 *
 * @param header         the timestamp header, or null when the vendor sends none
 * @param signedField    the body's own timestamp field (covered by the signature), or null
 * @param signedRequired whether a body without {@code signedField} is refused (otherwise the header alone decides)
 */
public record TimestampWindow(String header, Duration tolerance, JsonField signedField, boolean signedRequired) {

    /** Values above this are milliseconds: 100 000 000 000 seconds is the year 5138. */
    private static final long MILLIS_FROM = 100_000_000_000L;

    public TimestampWindow(String header, Duration tolerance) {
        this(header, tolerance, null, false);
    }

    /**
     * Returns the header's raw value after checking it (null when the window has no header); 401 when missing, not a
     * unix time, or outside the window.
     */
    public String check(Delivery delivery, Instant now) {
        if (header == null) {
            return null;
        }
        String raw = delivery.header(header);
        if (raw == null || raw.isBlank()) {
            throw DeliveryRejected.unauthorized("missing timestamp header " + header);
        }
        return checkValue(raw, now, "timestamp header " + header);
    }

    /**
     * Checks a unix time read from elsewhere (a part of the signature header) and returns it trimmed; 401 when it is
     * not a unix time or outside the window. {@code what} names it in the error message.
     */
    public String checkValue(String raw, Instant now, String what) {
        within(parse(raw.trim(), what), now, what);
        return raw.trim();
    }

    /**
     * Stamps a webhook being signed with now: the header, and the body's own timestamp field when the body has one
     * (a fresh delivery's, so an example kept in a file is not refused as stale). Returns the header's value.
     */
    String stamp(OutgoingWebhook webhook, Instant now) {
        String seconds = String.valueOf(now.getEpochSecond());
        if (signedField != null && webhook.hasField(signedField)) {
            webhook.setField(signedField, now.getEpochSecond());
        }
        if (header == null) {
            return null;
        }
        webhook.header(header, seconds);
        return seconds;
    }

    /** Checks the signed body's timestamp field, if the window has one; call it only once the signature verified. */
    public void checkSigned(Delivery delivery, Instant now) {
        if (signedField == null) {
            return;
        }
        Object value = signedField.read(delivery.json());
        if (value instanceof List<?> list && list.size() == 1) {
            value = list.get(0);
        }
        String what = "signed timestamp " + signedField.expression();
        if (value == null || value instanceof List<?>) {
            if (signedRequired) {
                throw DeliveryRejected.unauthorized("the signed body lacks its timestamp " + signedField.expression());
            }
            return;
        }
        within(value instanceof Number n ? parse(n, what) : parse(value.toString().trim(), what), now, what);
    }

    private void within(long value, Instant now, String what) {
        long skew;
        try {
            Instant sent = value > MILLIS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
            skew = Duration.between(sent, now).abs().getSeconds();
        } catch (DateTimeException | ArithmeticException e) {
            throw outOfRange(what);
        }
        if (skew > tolerance.getSeconds()) {
            throw DeliveryRejected.unauthorized("stale timestamp: " + what + " is " + skew
                    + " s away from now; the tolerance is " + tolerance.getSeconds() + " s");
        }
    }

    private static long parse(String text, String what) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            throw text.matches("-?\\d+") ? outOfRange(what)
                    : DeliveryRejected.unauthorized(what + " is not a unix time in seconds");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) { // 19 digits above Long.MAX_VALUE
            throw outOfRange(what);
        }
    }

    private static long parse(Number number, String what) {
        try {
            BigInteger whole = (number instanceof BigDecimal d ? d : new BigDecimal(number.toString())).toBigInteger();
            if (whole.signum() < 0) {
                throw outOfRange(what);
            }
            return whole.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw outOfRange(what);
        }
    }

    private static DeliveryRejected outOfRange(String what) {
        return DeliveryRejected.unauthorized(what + " is out of range (a unix time in seconds or milliseconds)");
    }
}
