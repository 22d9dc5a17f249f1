package io.kycrouter.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Signs deliveries the way each vendor does, independently of the router's own code. */
public final class Signer {

    private Signer() {
    }

    public static String hmacHex(String javaAlgorithm, String secret, byte[] content) {
        try {
            Mac mac = Mac.getInstance(javaAlgorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaAlgorithm));
            return HexFormat.of().formatHex(mac.doFinal(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sumsub: X-Payload-Digest over the raw body, SHA256 unless an algorithm header is given. */
    public static Map<String, String> sumsub(byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Payload-Digest", hmacHex("HmacSHA256", RunningRouter.SUMSUB_SECRET, body));
        return h;
    }

    public static Map<String, String> sumsub(byte[] body, String algHeader, String javaAlgorithm) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Payload-Digest-Alg", algHeader);
        h.put("X-Payload-Digest", hmacHex(javaAlgorithm, RunningRouter.SUMSUB_SECRET, body));
        return h;
    }

    public static Map<String, String> json() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        return h;
    }

    /** Argos: the shared token in the X-Webhook-Token header. */
    public static Map<String, String> argos() {
        Map<String, String> h = json();
        h.put("X-Webhook-Token", RunningRouter.ARGOS_TOKEN);
        return h;
    }

    /** Veratad with HTTP Basic credentials. */
    public static Map<String, String> veratadBasic() {
        Map<String, String> h = json();
        h.put("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (RunningRouter.VERATAD_USER + ":" + RunningRouter.VERATAD_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return h;
    }

    /** Veratad with an HMAC-SHA256 (hex) of the raw body in X-Veratad-Signature. */
    public static Map<String, String> veratadHmac(byte[] body) {
        Map<String, String> h = json();
        h.put("X-Veratad-Signature", hmacHex("HmacSHA256", RunningRouter.VERATAD_SECRET, body));
        return h;
    }

    /** Didit: X-Timestamp now, X-Signature over the raw body. */
    public static Map<String, String> diditRaw(byte[] body) {
        return diditRaw(body, Instant.now().getEpochSecond());
    }

    public static Map<String, String> diditRaw(byte[] body, long timestamp) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Timestamp", String.valueOf(timestamp));
        h.put("X-Signature", hmacHex("HmacSHA256", RunningRouter.DIDIT_SECRET, body));
        return h;
    }

    /**
     * Didit's body with its own {@code timestamp} field (unix seconds) added first, as Didit's deliveries carry it;
     * the field is covered by the signature, so it must be added before signing.
     */
    public static byte[] diditStamped(byte[] body, long timestamp) {
        String text = new String(body, StandardCharsets.UTF_8);
        int open = text.indexOf('{');
        return (text.substring(0, open + 1) + "\"timestamp\": " + timestamp + ", " + text.substring(open + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same field added to a V2 canonical form (keys sorted, compact): before the first top-level key that sorts
     * after "timestamp" (vendor_data, webhook_type), or at the end.
     */
    public static String diditV2Stamped(String canonical, long timestamp) {
        String field = "\"timestamp\":" + timestamp;
        for (String next : new String[] {",\"vendor_data\":", ",\"webhook_type\":"}) {
            int at = canonical.lastIndexOf(next);
            if (at > 0 && canonical.indexOf('}', at) == canonical.length() - 1) { // a top-level key: no object after it
                return canonical.substring(0, at) + "," + field + canonical.substring(at);
            }
        }
        return canonical.substring(0, canonical.length() - 1) + "," + field + "}";
    }

    /** Didit: X-Signature-V2 over the canonical form Python produced (the .v2.txt fixture beside the body). */
    public static Map<String, String> diditV2(String canonical) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Timestamp", String.valueOf(Instant.now().getEpochSecond()));
        h.put("X-Signature-V2", hmacHex("HmacSHA256", RunningRouter.DIDIT_SECRET, canonical.getBytes(StandardCharsets.UTF_8)));
        return h;
    }

    /** Onfido: X-SHA2-Signature, hex HMAC-SHA256 of the raw body with the webhook token. */
    public static Map<String, String> onfido(byte[] body) {
        Map<String, String> h = json();
        h.put("X-SHA2-Signature", hmacHex("HmacSHA256", RunningRouter.ONFIDO_SECRET, body));
        return h;
    }

    /** Veriff: X-HMAC-SIGNATURE, hex HMAC-SHA256 of the raw body with the shared secret (decisions and events alike). */
    public static Map<String, String> veriff(byte[] body) {
        Map<String, String> h = json();
        h.put("X-AUTH-CLIENT", "veriff-public-api-key");
        h.put("X-HMAC-SIGNATURE", hmacHex("HmacSHA256", RunningRouter.VERIFF_SECRET, body));
        return h;
    }

    /** Persona's one set {@code t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">} for one secret. */
    public static String personaSet(byte[] body, long t, String secret) {
        byte[] prefix = (t + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + t + ",v1=" + hmacHex("HmacSHA256", secret, signed);
    }

    /** Persona: Persona-Signature with the given header value. */
    public static Map<String, String> persona(String signatureHeader) {
        Map<String, String> h = json();
        h.put("Persona-Signature", signatureHeader);
        return h;
    }

    /** Persona: one set signed now with the router's secret. */
    public static Map<String, String> persona(byte[] body) {
        return persona(personaSet(body, Instant.now().getEpochSecond(), RunningRouter.PERSONA_SECRET));
    }
}
