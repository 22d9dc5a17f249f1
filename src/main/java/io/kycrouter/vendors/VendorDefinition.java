package io.kycrouter.vendors;

import io.kycrouter.delivery.JsonField;
import io.kycrouter.security.AuthScheme;
import io.kycrouter.security.PayloadDecryption;

import java.util.List;
import java.util.Set;

/**
 * One vendor as configured under {@code kyc.vendor.<name>.*} (its vendors/<name>/vendor.properties): how it authenticates, whether its payload is
 * encrypted or wrapped in an envelope, which content types it sends, and how its events are identified.
 * Its mapping lives in vendors/{name}/routes.yaml (route {@code direct:vendor-<name>}).
 *
 * @param envelope   where the event sits when a delivery wraps it (Treezor's {@code $.webhook}); used only
 *                   when that path holds an object, so wrapped and bare deliveries are both accepted
 * @param decryption how to decrypt an encrypted body, or null
 */
public record VendorDefinition(String name, List<AuthScheme> authSchemes, EventKey eventKey,
                               Set<String> contentTypes, long maxBodySize, JsonField envelope,
                               PayloadDecryption decryption) {

    public String routeUri() {
        return "direct:vendor-" + name;
    }

    public boolean hasCredentials() {
        return !authSchemes.isEmpty();
    }
}
