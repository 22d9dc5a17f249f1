package io.kycrouter.notify;

import io.kycrouter.canonical.VerificationEvent;

import java.util.Set;

/**
 * Which canonical events a target receives: by vendor, canonical type, status, and "final decisions only".
 * An empty set means "any".
 */
public record TargetFilter(Set<String> vendors, Set<String> types, Set<String> statuses, boolean finalOnly) {

    public boolean matches(VerificationEvent event) {
        return (vendors.isEmpty() || vendors.contains(event.vendor()))
                && (types.isEmpty() || types.contains(event.type().name()))
                && (statuses.isEmpty() || (event.status() != null && statuses.contains(event.status().name())))
                && (!finalOnly || event.isFinal());
    }
}
