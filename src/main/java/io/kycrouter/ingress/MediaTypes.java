package io.kycrouter.ingress;

import io.kycrouter.delivery.DeliveryRejected;

import java.util.Locale;
import java.util.Set;

/** Matches a request's Content-Type against a vendor's accepted types (wildcards like application/*+json). */
final class MediaTypes {

    private MediaTypes() {
    }

    /** Throws 415 unless the content type is accepted and its charset, if any, is UTF-8. */
    static void check(String contentType, Set<String> accepted) {
        if (contentType == null || contentType.isBlank()) {
            throw new DeliveryRejected(415, "unsupported_media_type",
                    "Content-Type is missing; send " + String.join(" or ", accepted.stream().sorted().toList()));
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean ok = accepted.stream().anyMatch(a -> matches(a, type));
        if (!ok) {
            throw new DeliveryRejected(415, "unsupported_media_type", "Content-Type " + sanitize(type)
                    + " is not accepted here; send " + String.join(" or ", accepted.stream().sorted().toList()));
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim().toLowerCase(Locale.ROOT);
            if (param.startsWith("charset=")) {
                String charset = param.substring(8).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new DeliveryRejected(415, "unsupported_media_type", "only UTF-8 bodies are accepted");
                }
            }
        }
    }

    private static boolean matches(String pattern, String type) {
        if (pattern.equals(type)) {
            return true;
        }
        int star = pattern.indexOf('*');
        if (star < 0) {
            return false;
        }
        String head = pattern.substring(0, star);
        String tail = pattern.substring(star + 1);
        return type.length() >= head.length() + tail.length() && type.startsWith(head) && type.endsWith(tail);
    }

    private static String sanitize(String type) {
        String cut = type.length() > 60 ? type.substring(0, 60) : type;
        return cut.replaceAll("[^a-z0-9.+/*-]", "?");
    }
}
