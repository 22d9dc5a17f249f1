package io.kycrouter.security;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.delivery.JsonField;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An HMAC over some content of the delivery, compared in constant time against the signature the
 * vendor sent in a header or a JSON field. Several secrets may be active at once (rotation). A header may also hold
 * named parts, a time and one or more signatures ({@link SignatureParts}): the delivery is accepted when one set's
 * time is within the window and one of its signatures matches.
 */
public final class HmacScheme implements AuthScheme {

    public enum Encoding { HEX, BASE64 }

    private final String name;
    private final List<byte[]> secrets;
    private final String algorithm;
    private final String algorithmHeader;
    private final Map<String, String> algorithmNames;
    private final Encoding encoding;
    private final String prefix;
    private final String signatureHeader;
    private final JsonField signatureField;
    private final SignedContent signed;
    private final TimestampWindow timestamp;
    private final SignatureParts parts;

    public HmacScheme(String name, List<byte[]> secrets, String algorithm, String algorithmHeader,
                      Map<String, String> algorithmNames, Encoding encoding, String prefix,
                      String signatureHeader, JsonField signatureField, SignedContent signed,
                      TimestampWindow timestamp) {
        this(name, secrets, algorithm, algorithmHeader, algorithmNames, encoding, prefix, signatureHeader,
                signatureField, signed, timestamp, null);
    }

    /**
     * @param parts how the signature header splits into a time and signatures, or null when it holds the signature
     *              alone; with parts, {@code timestamp} may give the tolerance (its header is then unused)
     */
    public HmacScheme(String name, List<byte[]> secrets, String algorithm, String algorithmHeader,
                      Map<String, String> algorithmNames, Encoding encoding, String prefix,
                      String signatureHeader, JsonField signatureField, SignedContent signed,
                      TimestampWindow timestamp, SignatureParts parts) {
        if (parts != null && signatureHeader == null) {
            throw new IllegalArgumentException("a signature made of parts is read from a header, not a JSON field");
        }
        if (parts != null && parts.timestampPart() != null && (timestamp == null || timestamp.header() != null)) {
            throw new IllegalArgumentException("the timestamp part '" + parts.timestampPart()
                    + "' needs a tolerance and no timestamp header");
        }
        this.name = name;
        this.secrets = List.copyOf(secrets);
        this.algorithm = algorithm;
        this.algorithmHeader = algorithmHeader;
        this.algorithmNames = Map.copyOf(algorithmNames);
        this.encoding = encoding;
        this.prefix = prefix == null ? "" : prefix;
        this.signatureHeader = signatureHeader;
        this.signatureField = signatureField;
        this.signed = signed;
        this.timestamp = timestamp;
        this.parts = parts;
        javaAlgorithm(algorithm); // fail at start-up on a bad name
        algorithmNames.values().forEach(HmacScheme::javaAlgorithm);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expects() {
        if (parts != null) {
            return "header " + signatureHeader + " (" + parts.describe() + ")";
        }
        return signatureHeader != null ? "header " + signatureHeader : "JSON field " + signatureField;
    }

    @Override
    public boolean seenBeforeBody() {
        return signatureHeader != null;
    }

    @Override
    public boolean present(Delivery delivery) {
        if (signatureHeader != null) {
            String value = delivery.header(signatureHeader);
            return value != null && !value.isBlank();
        }
        return signatureField != null && delivery.json().containsKey(topLevelName());
    }

    private String topLevelName() {
        String expression = signatureField.expression();
        return expression.startsWith("$.") ? expression.substring(2).split("[.\\[]")[0] : expression;
    }

    @Override
    public void verify(Delivery delivery, Instant now) {
        if (parts != null) {
            verifyParts(delivery, now);
            return;
        }
        String ts = timestamp == null ? null : timestamp.check(delivery, now);
        String provided = providedSignature(delivery);
        byte[] providedBytes = decode(provided);
        String alg = algorithmFor(delivery);
        byte[] content = signed.build(delivery, ts);
        boolean match = false;
        for (byte[] secret : secrets) {
            match |= ConstantTime.equal(hmac(alg, secret, content), providedBytes);
        }
        if (!match) {
            throw DeliveryRejected.unauthorized("signature mismatch (" + expects() + ")");
        }
        if (timestamp != null) {
            timestamp.checkSigned(delivery, now); // only a verified body's time means anything
        }
    }

    /**
     * Each set of the header is tried: its time must lie within the window and one of its signatures must match the
     * HMAC of the content signed with that time. When none passes, the answer says why the last one tried failed
     * unless a fresher reason applies: a mismatch is reported over a stale time only when some set was fresh.
     */
    private void verifyParts(Delivery delivery, Instant now) {
        String header = delivery.header(signatureHeader);
        if (header == null || header.isBlank()) {
            throw DeliveryRejected.unauthorized("missing signature (" + expects() + ")");
        }
        List<SignatureParts.SignedSet> sets = parts.parse(header, signatureHeader);
        String alg = algorithmFor(delivery);
        DeliveryRejected stale = null;
        boolean anyFresh = false;
        boolean match = false;
        for (SignatureParts.SignedSet set : sets) {
            String ts = null;
            if (parts.timestampPart() != null) {
                try {
                    ts = timestamp.checkValue(set.timestamp(), now, "'" + parts.timestampPart() + "' of " + signatureHeader);
                } catch (DeliveryRejected e) {
                    stale = e;
                    continue;
                }
            }
            anyFresh = true;
            byte[] content = signed.build(delivery, ts);
            for (String signature : set.signatures()) {
                byte[] provided;
                try {
                    provided = decode(stripPrefix(signature));
                } catch (DeliveryRejected e) {
                    continue; // one undecodable value among several does not hide a valid one
                }
                for (byte[] secret : secrets) {
                    match |= ConstantTime.equal(hmac(alg, secret, content), provided);
                }
            }
        }
        if (!match) {
            throw !anyFresh && stale != null ? stale
                    : DeliveryRejected.unauthorized("signature mismatch (" + expects() + ")");
        }
        if (timestamp != null) {
            timestamp.checkSigned(delivery, now);
        }
    }

    private String stripPrefix(String signature) {
        if (!prefix.isEmpty()) {
            if (!signature.startsWith(prefix)) {
                throw DeliveryRejected.unauthorized("signature (" + expects() + ") must start with '" + prefix + "'");
            }
            return signature.substring(prefix.length());
        }
        return signature;
    }

    /**
     * The timestamp (header, and the body's signed field when it has one) set to now, the algorithm named in the
     * algorithm header when the vendor sends one, then the HMAC of the signed content with the first secret, encoded
     * and prefixed, in the signature header or field. A header made of parts gets one set, {@code t=<now>,v1=<hmac>}.
     */
    @Override
    public void sign(OutgoingWebhook webhook, Instant now) {
        String ts = timestamp == null ? null : timestamp.stamp(webhook, now);
        if (parts != null && parts.timestampPart() != null) {
            ts = String.valueOf(now.getEpochSecond());
        }
        if (algorithmHeader != null) {
            algorithmNames.entrySet().stream()
                    .filter(e -> javaAlgorithm(e.getValue()).equals(javaAlgorithm(algorithm)))
                    .map(Map.Entry::getKey).sorted().findFirst()
                    .ifPresent(named -> webhook.header(algorithmHeader, named));
        }
        if (signatureField != null) {
            webhook.setField(signatureField, ""); // the body in its final shape before what is signed is read from it
        }
        byte[] mac = hmac(algorithm, secrets.get(0), signed.build(webhook.asDelivery(now), ts));
        String signature = prefix + (encoding == Encoding.HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac));
        if (parts != null) {
            webhook.header(signatureHeader, parts.format(ts, signature));
        } else if (signatureHeader != null) {
            webhook.header(signatureHeader, signature);
        } else {
            webhook.setField(signatureField, signature);
        }
    }

    private String providedSignature(Delivery delivery) {
        Object value = signatureHeader != null ? delivery.header(signatureHeader) : signatureField.read(delivery.json());
        if (!(value instanceof String s) || s.isBlank()) {
            throw DeliveryRejected.unauthorized("missing signature (" + expects() + ")");
        }
        String trimmed = s.trim();
        if (!prefix.isEmpty()) {
            if (!trimmed.startsWith(prefix)) {
                throw DeliveryRejected.unauthorized("signature (" + expects() + ") must start with '" + prefix + "'");
            }
            trimmed = trimmed.substring(prefix.length());
        }
        return trimmed;
    }

    private byte[] decode(String signature) {
        try {
            return encoding == Encoding.HEX ? HexFormat.of().parseHex(signature.toLowerCase())
                    : Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw DeliveryRejected.unauthorized("signature (" + expects() + ") is not valid " + encoding.name().toLowerCase());
        }
    }

    private String algorithmFor(Delivery delivery) {
        if (algorithmHeader == null) {
            return algorithm;
        }
        String named = delivery.header(algorithmHeader);
        if (named == null || named.isBlank()) {
            return algorithm;
        }
        String alg = algorithmNames.get(named.trim());
        if (alg == null) {
            throw DeliveryRejected.unauthorized("unsupported signature algorithm in " + algorithmHeader
                    + " (accepted: " + String.join(", ", algorithmNames.keySet().stream().sorted().toList()) + ")");
        }
        return alg;
    }

    static String javaAlgorithm(String algorithm) {
        String normalized = algorithm.toUpperCase().replace("-", "").replace("HMAC", "");
        return switch (normalized) {
            case "SHA1" -> "HmacSHA1";
            case "SHA256" -> "HmacSHA256";
            case "SHA512" -> "HmacSHA512";
            default -> throw new IllegalArgumentException("unsupported HMAC algorithm '" + algorithm
                    + "' (use SHA1, SHA256 or SHA512)");
        };
    }

    static byte[] hmac(String algorithm, byte[] secret, byte[] content) {
        try {
            String alg = javaAlgorithm(algorithm);
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(secret, alg));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }
}
