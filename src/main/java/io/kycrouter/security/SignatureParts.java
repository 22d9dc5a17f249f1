package io.kycrouter.security;

import io.kycrouter.delivery.DeliveryRejected;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A signature header made of named parts rather than one value, such as Persona's
 * {@code Persona-Signature: t=1700000000,v1=5257a8...} or Stripe's {@code t=...,v1=...,v1=...}: the signature is the
 * part named {@code signaturePart}, the time it was signed the part named {@code timestampPart} (optional). While the
 * vendor rotates its secret the header carries several sets, each with its own time and signature
 * ({@code t=..,v1=.. t=..,v1=..}, separated by {@code setSeparator}); a set may also hold several signatures.
 * Parts of other names (a {@code v0} scheme the router does not use) are ignored.
 *
 * @param signaturePart the name of the part holding a signature, for example {@code v1}
 * @param timestampPart the name of the part holding the unix time signed with the body, or null
 * @param partSeparator between the parts of one set, for example {@code ,}
 * @param setSeparator  between sets; null for whitespace
 */
public record SignatureParts(String signaturePart, String timestampPart, String partSeparator, String setSeparator) {

    /** One set of parts: the time it names (null when the scheme has no timestamp part) and its signatures. */
    public record SignedSet(String timestamp, List<String> signatures) {
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public SignatureParts {
        if (signaturePart == null || signaturePart.isBlank()) {
            throw new IllegalArgumentException("the signature part's name is empty");
        }
        if (partSeparator == null || partSeparator.isEmpty()) {
            throw new IllegalArgumentException("the part separator is empty");
        }
        if (partSeparator.equals(setSeparator) || partSeparator.contains("=")) {
            throw new IllegalArgumentException("the part separator '" + partSeparator
                    + "' must differ from the set separator and from '='");
        }
        if (signaturePart.equals(timestampPart)) {
            throw new IllegalArgumentException("the signature and timestamp parts must have different names");
        }
    }

    /**
     * The sets of a header value; 401 when the header is malformed (a part that is not {@code name=value}) or a set
     * lacks its signature or its timestamp. A header that is malformed anywhere is refused as a whole.
     */
    public List<SignedSet> parse(String header, String headerName) {
        List<SignedSet> sets = new ArrayList<>();
        String[] rawSets = setSeparator == null ? WHITESPACE.split(header.trim()) : header.trim().split(Pattern.quote(setSeparator));
        for (String rawSet : rawSets) {
            if (rawSet.isBlank()) {
                continue;
            }
            String timestamp = null;
            List<String> signatures = new ArrayList<>();
            for (String part : rawSet.trim().split(Pattern.quote(partSeparator), -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw DeliveryRejected.unauthorized("malformed " + headerName + " header: expected "
                            + describe() + ", found a part without a name=value form");
                }
                String name = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (name.equals(signaturePart)) {
                    signatures.add(value);
                } else if (name.equals(timestampPart)) {
                    if (timestamp != null) {
                        throw DeliveryRejected.unauthorized("malformed " + headerName + " header: two '"
                                + timestampPart + "' parts in one set");
                    }
                    timestamp = value;
                }
            }
            if (signatures.isEmpty() || signatures.stream().anyMatch(String::isEmpty)) {
                throw DeliveryRejected.unauthorized(headerName + " header lacks its '" + signaturePart
                        + "' part (expected " + describe() + ")");
            }
            if (timestampPart != null && (timestamp == null || timestamp.isEmpty())) {
                throw DeliveryRejected.unauthorized(headerName + " header lacks its '" + timestampPart
                        + "' part (expected " + describe() + ")");
            }
            sets.add(new SignedSet(timestamp, List.copyOf(signatures)));
        }
        if (sets.isEmpty()) {
            throw DeliveryRejected.unauthorized("missing signature (header " + headerName + ")");
        }
        return sets;
    }

    /** One set as the vendor writes it: {@code t=<timestamp>,v1=<signature>} (the signature alone without a timestamp part). */
    public String format(String timestamp, String signature) {
        return (timestampPart == null ? "" : timestampPart + "=" + timestamp + partSeparator) + signaturePart + "=" + signature;
    }

    /** The expected form, for error messages: {@code t=<unix time>,v1=<signature>}. */
    public String describe() {
        return (timestampPart == null ? "" : timestampPart + "=<unix time>" + partSeparator) + signaturePart + "=<signature>";
    }
}
