package io.kycrouter.observe;

import java.util.Locale;
import java.util.Map;

/**
 * The reason a refused delivery is counted under in the console: the error code the sender got, except that a 401
 * ({@code unauthorized}, one code for every authentication failure) is told apart by what failed: {@code stale} (the
 * timestamp outside its window, or missing), {@code signature} (a signature missing, malformed or not matching), or
 * {@code credential} (a token or password missing or wrong, a payload that does not decrypt). The messages are the
 * router's own (security/*Scheme, TimestampWindow), never the sender's text. Malformed bodies are one reason too.
 */
public final class RefusalReasons {

    private static final Map<String, String> GROUPED = Map.of(
            "malformed_json", "malformed",
            "invalid_payload", "malformed",
            "invalid_field", "malformed",
            "missing_field", "malformed",
            "payload_too_large", "too_large");

    private RefusalReasons() {
    }

    public static String of(String error, String message) {
        if (!"unauthorized".equals(error)) {
            return GROUPED.getOrDefault(error, error);
        }
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("timestamp")) {
            return "stale";
        }
        if (m.contains("signature") || m.contains("signed")) {
            return "signature";
        }
        return "credential";
    }
}
