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
 * vendor sent in a header or a JSON field. Several secrets may be active at once (rotation).
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

    public HmacScheme(String name, List<byte[]> secrets, String algorithm, String algorithmHeader,
                      Map<String, String> algorithmNames, Encoding encoding, String prefix,
                      String signatureHeader, JsonField signatureField, SignedContent signed,
                      TimestampWindow timestamp) {
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
        javaAlgorithm(algorithm); // fail at start-up on a bad name
        algorithmNames.values().forEach(HmacScheme::javaAlgorithm);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expects() {
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
     * The timestamp (header, and the body's signed field when it has one) set to now, the algorithm named in the
     * algorithm header when the vendor sends one, then the HMAC of the signed content with the first secret, encoded
     * and prefixed, in the signature header or field.
     */
    @Override
    public void sign(OutgoingWebhook webhook, Instant now) {
        String ts = timestamp == null ? null : timestamp.stamp(webhook, now);
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
        if (signatureHeader != null) {
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
