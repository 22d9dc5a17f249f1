package io.kycrouter.canonical;

import io.kycrouter.canonical.VerificationEvent.Check;
import io.kycrouter.canonical.VerificationEvent.Reason;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.kycrouter.canonical.MappingVariables.*;

/**
 * Builds the canonical event from the variables a vendor route set ({@link MappingVariables}; README, "Adding a vendor"):
 * {@code vendorEventType, verificationId, externalUserId, relatedId, occurredAt, sandbox, type, status, final,
 * reasons (codes) with reasonCatalogueMessages (same order), reasonCode + reasonCatalogueMessage, check.<name>,
 * score.<name>}. Only these named values reach the event, so nothing else of the payload (names, birth dates,
 * documents) can leak into it; and those values are held to their shape ({@link PersonalData}): a reason code that
 * is not a code, a check result that is not an enumeration value, a related id that is not an identifier do not
 * reach it either. A vendor's free-text message never does: {@code reasonMessage(s)} only count as "a reason was
 * given"; only a text the route marks as a documented catalogue text ({@code reasonCatalogueMessage(s)}) is kept.
 */
public final class CanonicalEventBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CanonicalEventBuilder.class);

    private final UserReferences userReferences;
    /** Vendors already told that their route maps free-text reason messages (said once per vendor, not per event). */
    private final Set<String> toldAboutFreeText = ConcurrentHashMap.newKeySet();

    public CanonicalEventBuilder() {
        this(UserReferences.plain());
    }

    public CanonicalEventBuilder(UserReferences userReferences) {
        this.userReferences = userReferences;
    }

    public VerificationEvent build(Exchange exchange) {
        Map<String, Object> v = exchange.getVariables();
        String vendor = text(v.get("vendor"));
        String eventKey = text(v.get("eventKey"));
        // mapped before it is stored (ingress), the delivery has no inbox row yet: Intake sets it
        long inboxId = v.get("inboxId") instanceof Number n ? n.longValue() : 0;
        Instant receivedAt = (Instant) v.get("receivedAt");

        String verificationId = text(v.get(VERIFICATION_ID));
        if (verificationId == null) {
            throw new IllegalStateException("the " + vendor + " route set no verificationId");
        }
        if (verificationId.length() > 256) {
            throw new IllegalArgumentException("the verificationId is longer than 256 characters");
        }
        CanonicalType type = enumValue(CanonicalType.class, v.get(TYPE), CanonicalType.UNKNOWN, vendor);
        CanonicalStatus status = v.get(STATUS) == null ? null
                : enumValue(CanonicalStatus.class, v.get(STATUS), CanonicalStatus.UNKNOWN, vendor);
        boolean isFinal = v.get(FINAL) != null ? bool(v.get(FINAL)) : status != null && status.finalByDefault();

        Instant occurredAt = receivedAt;
        Object time = v.get(OCCURRED_AT);
        if (time instanceof Collection<?> c) {
            time = c.isEmpty() ? null : c.iterator().next();
        }
        if (text(time) == null) {
            LOG.debug("{} event {}: no event time; using the time received", vendor, eventKey);
        } else {
            try {
                occurredAt = VendorTime.parse(time);
            } catch (IllegalArgumentException e) { // unknown, not "now": it must never rank as the newest (EventStore)
                LOG.warn("{} event {}: event time not usable ({}); occurredAt is null", vendor, eventKey, e.getMessage());
                occurredAt = null;
            }
        }
        Unrecognised unrecognised = new Unrecognised();
        List<Reason> reasons = reasons(v, unrecognised);
        List<Check> checks = checks(v, unrecognised);
        String relatedId = text(v.get(RELATED_ID));
        if (relatedId != null && !PersonalData.isIdentifier(relatedId)) {
            relatedId = null;
            unrecognised.relatedId = true;
        }
        if (unrecognised.any()) {
            // the values themselves are never logged: they are what may be personal
            LOG.warn("{} event {}: {} reason code(s) not a code, {} check result(s) not an enumeration value{}; replaced by {}/{}"
                            + " (the delivery keeps them)", vendor, Canonicalizer.printable(String.valueOf(eventKey), 200),
                    unrecognised.codes, unrecognised.checks, unrecognised.relatedId ? ", relatedId not an identifier (dropped)" : "",
                    PersonalData.UNRECOGNISED_CODE, PersonalData.UNRECOGNISED_VALUE);
        }
        if ((v.get(REASON_MESSAGE) != null || v.get(REASON_MESSAGES) != null) && vendor != null && toldAboutFreeText.add(vendor)) {
            LOG.info("the {} route maps reasonMessage(s): free-text messages do not reach canonical events; a text the vendor"
                    + " documents as a fixed catalogue goes in reasonCatalogueMessage(s) (see README, 'Adding a vendor')", vendor);
        }
        // a delivery mapped again (remap) gets a new event id per mapping: its revision
        int revision = v.get("mappingRevision") instanceof Number r ? r.intValue() : 0;
        return new VerificationEvent(
                eventId(vendor, eventKey, receivedAt, revision),
                vendor,
                cap(text(v.get(VENDOR_EVENT_TYPE)), 128),
                eventKey,
                type,
                status,
                isFinal,
                verificationId,
                userReferences.of(vendor, text(v.get(EXTERNAL_USER_ID))),
                relatedId,
                reasons,
                checks,
                v.get(SANDBOX) != null && bool(v.get(SANDBOX)),
                occurredAt == null ? null : occurredAt.toString(),
                receivedAt.toString(),
                inboxId);
    }

    /**
     * A UUIDv7 (RFC 9562): its first 48 bits are the millisecond the delivery was received, the rest (but for the
     * version and variant bits) a SHA-256 of the vendor and its event key. Time-ordered, so the indexes on event ids
     * grow at their end instead of at random places; and stable across reprocessing, since a delivery keeps its key
     * and its time received (downstream dedupe). A delivery mapped again after a fix is a new event: its revision
     * (0 for the first mapping, which hashes as it always did) goes into the hash.
     */
    static String eventId(String vendor, String eventKey, Instant receivedAt) {
        return eventId(vendor, eventKey, receivedAt, 0);
    }

    static String eventId(String vendor, String eventKey, Instant receivedAt, int revision) {
        String named = vendor + "\n" + eventKey + (revision == 0 ? "" : "\n" + revision);
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(named.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
        long millis = receivedAt.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long high = millis << 16 | 0x7000L | (hash[0] & 0x0FL) << 8 | (hash[1] & 0xFFL);
        long low = 0;
        for (int i = 2; i < 10; i++) {
            low = low << 8 | (hash[i] & 0xFFL);
        }
        low = 0x8000_0000_0000_0000L | (low & 0x3FFF_FFFF_FFFF_FFFFL); // variant 10
        return new UUID(high, low).toString();
    }

    /** What was held back from one event, counted for one warning. */
    private static final class Unrecognised {
        int codes;
        int checks;
        boolean relatedId;

        boolean any() {
            return codes > 0 || checks > 0 || relatedId;
        }
    }

    private static List<Reason> reasons(Map<String, Object> v, Unrecognised unrecognised) {
        List<Reason> reasons = new ArrayList<>();
        List<?> codes = asList(v.get(REASONS));
        List<?> catalogue = asList(v.get(REASON_CATALOGUE_MESSAGES));
        List<?> freeText = asList(v.get(REASON_MESSAGES));
        int count = Math.max(codes.size(), Math.max(catalogue.size(), freeText.size()));
        for (int i = 0; i < count; i++) {
            addReason(reasons, i < codes.size() ? codes.get(i) : null, i < catalogue.size() ? text(catalogue.get(i)) : null,
                    i < freeText.size() && text(freeText.get(i)) != null, unrecognised);
        }
        addReason(reasons, v.get(REASON_CODE), text(v.get(REASON_CATALOGUE_MESSAGE)), text(v.get(REASON_MESSAGE)) != null,
                unrecognised);
        return List.copyOf(reasons);
    }

    private static List<?> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof Collection<?> c ? new ArrayList<>(c) : List.of(value);
    }

    /**
     * One reason: its code (UNSPECIFIED when the vendor gave only a message, UNRECOGNISED_CODE when the value is not a
     * code) and its catalogue text. A free-text message only tells that a reason was given; its text is not kept.
     */
    private static void addReason(List<Reason> reasons, Object code, String catalogueMessage, boolean freeTextGiven,
                                  Unrecognised unrecognised) {
        String c = text(code);
        if (c == null && catalogueMessage == null && !freeTextGiven) {
            return;
        }
        if (c != null && !PersonalData.isCode(c)) {
            c = PersonalData.UNRECOGNISED_CODE;
            unrecognised.codes++;
        }
        reasons.add(new Reason(c == null ? "UNSPECIFIED" : c, PersonalData.freeText(catalogueMessage)));
    }

    private static List<Check> checks(Map<String, Object> v, Unrecognised unrecognised) {
        Map<String, Check> checks = new TreeMap<>(); // sorted by name: the same event always reads the same
        v.forEach((name, value) -> {
            String result = name.startsWith(CHECK_PREFIX) ? text(value) : null;
            if (result != null) {
                String check = name.substring(CHECK_PREFIX.length());
                if (!PersonalData.isCheckResult(result)) {
                    result = PersonalData.UNRECOGNISED_VALUE;
                    unrecognised.checks++;
                }
                checks.put(check, new Check(check, result, score(v.get(SCORE_PREFIX + check))));
            }
        });
        return List.copyOf(checks.values());
    }

    private static Object score(Object value) {
        if (value instanceof Number n) {
            return n instanceof BigDecimal ? n : new BigDecimal(n.toString());
        }
        String t = text(value);
        if (t == null) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, E fallback, String vendor) {
        String t = text(value);
        if (t == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warn("{} route set unknown {} '{}'; using {}", vendor, type.getSimpleName(), t, fallback);
            return fallback;
        }
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? null : text(c.iterator().next());
        }
        String s = value instanceof BigDecimal d ? d.toPlainString() : value.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static String cap(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return "true".equalsIgnoreCase(String.valueOf(value).trim());
    }
}
