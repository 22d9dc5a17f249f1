package io.kycrouter.vendors;

import io.kycrouter.delivery.Delivery;
import io.kycrouter.delivery.DeliveryRejected;
import io.kycrouter.security.AuthScheme;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates a delivery with its vendor's configured schemes: the delivery must carry the credential of
 * at least one scheme, and one of those it carries must verify. A vendor with no credential configured
 * refuses everything, unless the dev-only switch is on.
 */
public final class VendorAuthenticator {

    private final Clock clock;
    private final boolean devAcceptUnauthenticated;

    public VendorAuthenticator(Clock clock, boolean devAcceptUnauthenticated) {
        this.clock = clock;
        this.devAcceptUnauthenticated = devAcceptUnauthenticated;
    }

    /** Returns the name of the scheme that verified ("none" in dev mode); throws 401 otherwise. */
    public String authenticate(VendorDefinition vendor, Delivery delivery) {
        if (!vendor.hasCredentials()) {
            if (devAcceptUnauthenticated) {
                return "none";
            }
            throw noCredentialConfigured(vendor);
        }
        List<AuthScheme> offered = new ArrayList<>();
        for (AuthScheme scheme : vendor.authSchemes()) {
            if (scheme.present(delivery)) {
                offered.add(scheme);
            }
        }
        if (offered.isEmpty()) {
            throw missingCredential(vendor);
        }
        DeliveryRejected failure = null;
        for (AuthScheme scheme : offered) {
            try {
                scheme.verify(delivery, clock.instant());
                return scheme.name();
            } catch (DeliveryRejected e) {
                if (e.status() != 401) {
                    throw e;
                }
                if (failure == null) {
                    failure = e;
                }
            }
        }
        throw failure;
    }

    /**
     * The 401 {@link #authenticate} will throw whatever the body, when the request's head (its headers, query and
     * path; {@code head} has no body) already shows it: the vendor has no credential configured, or every one of its
     * schemes carries its credential outside the body and none is there. Empty when only the body can tell.
     */
    public Optional<DeliveryRejected> refusalBeforeBody(VendorDefinition vendor, Delivery head) {
        if (!vendor.hasCredentials()) {
            return devAcceptUnauthenticated ? Optional.empty() : Optional.of(noCredentialConfigured(vendor));
        }
        for (AuthScheme scheme : vendor.authSchemes()) {
            if (!scheme.seenBeforeBody() || scheme.present(head)) {
                return Optional.empty();
            }
        }
        return Optional.of(missingCredential(vendor));
    }

    private static DeliveryRejected noCredentialConfigured(VendorDefinition vendor) {
        return DeliveryRejected.unauthorized("no credential is configured for vendor " + vendor.name()
                + "; the router refuses its deliveries until one is set");
    }

    private static DeliveryRejected missingCredential(VendorDefinition vendor) {
        return DeliveryRejected.unauthorized("missing credential: expected "
                + String.join(" or ", vendor.authSchemes().stream().map(AuthScheme::expects).toList()));
    }
}
