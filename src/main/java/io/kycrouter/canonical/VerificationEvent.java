package io.kycrouter.canonical;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * The canonical verification event: identifiers and decisions, never personal data. Times are ISO-8601 UTC.
 * {@code status} is null for an event that reports no status (a data change, a document upload).
 */
@JsonPropertyOrder({"eventId", "vendor", "vendorEventType", "vendorEventKey", "type", "status", "final",
        "verificationId", "externalUserId", "relatedId", "reasons", "checks", "sandbox", "occurredAt",
        "receivedAt", "inboxId"})
public record VerificationEvent(
        String eventId,
        String vendor,
        String vendorEventType,
        String vendorEventKey,
        CanonicalType type,
        CanonicalStatus status,
        @com.fasterxml.jackson.annotation.JsonProperty("final") boolean isFinal,
        String verificationId,
        String externalUserId,
        String relatedId,
        List<Reason> reasons,
        List<Check> checks,
        boolean sandbox,
        String occurredAt,
        String receivedAt,
        long inboxId) {

    /** The same event, recorded under the inbox row its delivery was stored in (known once that row is written). */
    public VerificationEvent withInboxId(long id) {
        return new VerificationEvent(eventId, vendor, vendorEventType, vendorEventKey, type, status, isFinal, verificationId,
                externalUserId, relatedId, reasons, checks, sandbox, occurredAt, receivedAt, id);
    }

    /** Why a vendor decided as it did: a code, and a message where the vendor gives one. */
    @JsonPropertyOrder({"code", "message"})
    public record Reason(String code, String message) {
    }

    /** One check inside the verification (document, face match, liveness, AML...), with its result and score. */
    @JsonPropertyOrder({"name", "result", "score"})
    public record Check(String name, String result, Object score) {
    }
}
