package io.kycrouter.notify;

import io.kycrouter.canonical.VerificationEvent;

import java.util.Set;

/**
 * Which canonical events a target receives: by vendor, canonical type, status, and "final decisions only".
 * An empty set means "any".
 */
public record TargetFilter(Set<String> vendors, Set<String> types, Set<String> statuses, boolean finalOnly) {

    public boolean matches(VerificationEvent event) {
        return matches(event.vendor(), event.type().name(), event.status() == null ? null : event.status().name(), event.isFinal());
    }

    /** The same test on the event's columns in the log (type and status by name; status null when it has none). */
    public boolean matches(String vendor, String type, String status, boolean isFinal) {
        return (vendors.isEmpty() || vendors.contains(vendor))
                && (types.isEmpty() || types.contains(type))
                && (statuses.isEmpty() || (status != null && statuses.contains(status)))
                && (!finalOnly || isFinal);
    }
}
