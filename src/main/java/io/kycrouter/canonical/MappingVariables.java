package io.kycrouter.canonical;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The exchange variables a vendor route may set: what {@link CanonicalEventBuilder} reads, and nothing else. The
 * route contract (package contract), the README's "Adding a vendor" table and the builder all take the names
 * from here, so a name cannot be known to one and unknown to another.
 */
public final class MappingVariables {

    public static final String VENDOR_EVENT_TYPE = "vendorEventType";
    public static final String VERIFICATION_ID = "verificationId";
    public static final String EXTERNAL_USER_ID = "externalUserId";
    public static final String RELATED_ID = "relatedId";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String SANDBOX = "sandbox";
    public static final String TYPE = "type";
    public static final String STATUS = "status";
    public static final String FINAL = "final";
    public static final String REASONS = "reasons";
    public static final String REASON_CODE = "reasonCode";
    public static final String REASON_CATALOGUE_MESSAGES = "reasonCatalogueMessages";
    public static final String REASON_CATALOGUE_MESSAGE = "reasonCatalogueMessage";
    /** Free text: only counted as "a reason was given", the text itself never reaches the event. */
    public static final String REASON_MESSAGES = "reasonMessages";
    public static final String REASON_MESSAGE = "reasonMessage";
    /** check.&lt;name&gt;: a check's result; score.&lt;name&gt;: its score. */
    public static final String CHECK_PREFIX = "check.";
    public static final String SCORE_PREFIX = "score.";
    /**
     * A route's own working values (a value read once and tested in several places): never read by the builder,
     * so a typo in a canonical name cannot hide as a scratch variable.
     */
    public static final String SCRATCH_PREFIX = "_";

    /** Every plain name, in the order of the README table. */
    public static final List<String> NAMES = List.of(VENDOR_EVENT_TYPE, VERIFICATION_ID, EXTERNAL_USER_ID, RELATED_ID,
            OCCURRED_AT, SANDBOX, TYPE, STATUS, FINAL, REASONS, REASON_CODE, REASON_CATALOGUE_MESSAGES,
            REASON_CATALOGUE_MESSAGE, REASON_MESSAGES, REASON_MESSAGE);

    /** Set by the router around the vendor route; a vendor route reads them, never sets them. */
    public static final Set<String> ROUTER_OWNED = Set.of("vendor", "eventKey", "inboxId", "receivedAt", "event",
            "mappingError");

    private static final Set<String> KNOWN = Set.copyOf(NAMES);

    private MappingVariables() {
    }

    /** Why a vendor route may not set this variable, or empty when it may. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("a variable without a name");
        }
        if (KNOWN.contains(name) || name.startsWith(SCRATCH_PREFIX) && name.length() > SCRATCH_PREFIX.length()) {
            return Optional.empty();
        }
        for (String prefix : List.of(CHECK_PREFIX, SCORE_PREFIX)) {
            if (name.startsWith(prefix)) {
                return name.length() > prefix.length() ? Optional.empty()
                        : Optional.of("'" + name + "' names no check: write " + prefix + "<name>");
            }
        }
        if (ROUTER_OWNED.contains(name)) {
            return Optional.of("'" + name + "' is set by the router, not by a vendor route");
        }
        return Optional.of("unknown variable '" + name + "' (the canonical model's are in README, 'Adding a vendor'; a"
                + " route's own working variable starts with '" + SCRATCH_PREFIX + "')");
    }

    /** Every name a suggestion may point to (the prefixed ones as written in a route). */
    public static Stream<String> suggestions() {
        return Stream.concat(NAMES.stream(), Stream.of(CHECK_PREFIX, SCORE_PREFIX));
    }
}
