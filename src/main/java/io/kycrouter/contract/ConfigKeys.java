package io.kycrouter.contract;

import io.kycrouter.vendors.Settings;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code kyc.*} key the router reads: the one registry an unknown key is judged against. Keys with a free part
 * (a vendor, an authentication scheme, a notifier target, a header) are known for the names the configuration itself
 * gives (the vendor folders, {@code kyc.vendor.<v>.auth}, {@code kyc.notify.targets},
 * {@code kyc.notify.target.<t>.headers}); a scheme's keys are those of its type. A new setting read by the code is
 * added here, or start-up refuses it.
 */
public final class ConfigKeys {

    static final List<String> GLOBAL = List.of(
            "vendors.dir", "vendors.disabled", "routes.dir",
            "ingress.request-timeout-ms", "ingress.idle-timeout-ms", "ingress.http2-cleartext",
            "ingress.server-max-body-size", "ingress.body-memory", "ingress.body-progress-timeout-ms",
            "ingress.max-requests-in-flight", "ingress.worker-threads", "ingress.event-loop", "ingress.native-transport", "ingress.max-body-size", "ingress.content-types",
            "ingress.max-json-depth",
            "security.dev-accept-unauthenticated",
            "db.url", "db.user", "db.password", "db.pool.max-size", "db.pool.min-idle", "db.pool.connection-timeout-ms",
            "db.pool.initialization-fail-timeout-ms", "db.group-commit.max-batch", "db.group-commit.wait-ms",
            "db.group-commit.linger-us",
            "db.h2.compact-period-ms", "db.h2.compact-fill-rate", "db.h2.compact-bytes",
            "db.journal.enabled", "db.journal.checkpoint-period-ms",
            "inbox.recovery-period-ms", "inbox.recovery-grace-ms", "inbox.recovery-max-attempts",
            "inbox.recovery-batch-size",
            "retention.inbox-body-days", "retention.period-ms", "retention.batch-size", "retention.pause-ms",
            "canonical.external-user-id", "canonical.external-user-id-pepper",
            "api.operator-token", "api.max-wrong-tokens", "api.wrong-tokens-window-seconds",
            "notify.targets", "notify.poll-period-ms", "notify.claim-lease-ms",
            // the operator console (issue 16)
            "console.allowed-origins", "console.max-sessions", "console.refusals-kept", "console.secure-cookie",
            "console.session-idle-seconds", "console.session-max-seconds");

    static final List<String> VENDOR = List.of("auth", "event-key", "envelope", "content-types", "max-body-size",
            "external-user-id", "decrypt.mode", "decrypt.api-key", "decrypt.field");

    static final List<String> SCHEME = List.of("type", "enabled");
    static final List<String> HMAC = List.of("secrets", "signature-header", "signature-field", "algorithm",
            "algorithm-header", "algorithm-names", "encoding", "prefix", "signed", "timestamp-header",
            "timestamp-tolerance", "signed-timestamp-field", "signed-timestamp-required",
            // a signature header made of named parts (t=...,v1=...)
            "signature-part", "timestamp-part", "part-separator", "set-separator");
    static final List<String> BASIC = List.of("user", "passwords");
    static final List<String> TOKEN = List.of("tokens", "header", "query-parameter", "path-segment");
    /** The scheme types, and the key without which a scheme of that type can never accept a delivery. */
    static final List<String> SCHEME_TYPES = List.of("hmac", "basic", "token");

    static final List<String> TARGET = List.of("type", "filter.vendors", "filter.types", "filter.statuses",
            "filter.final-only", "max-attempts", "max-age-seconds", "backoff.initial-ms", "backoff.max-ms",
            "backoff.jitter-percent", "ordered", "connect-timeout-ms", "read-timeout-ms", "batch-size", "concurrency",
            "url", "secret", "headers", "topic", "brokers");

    private ConfigKeys() {
    }

    /** Every known key, with the {@code kyc.} prefix, for these vendors and this configuration's schemes and targets. */
    public static Set<String> known(Settings kyc, Collection<String> vendors) {
        Set<String> keys = new TreeSet<>();
        GLOBAL.forEach(k -> keys.add(kyc.key(k)));
        for (String vendor : vendors) {
            Settings v = kyc.child("vendor").child(vendor.toLowerCase(Locale.ROOT));
            VENDOR.forEach(k -> keys.add(v.key(k)));
            for (String scheme : v.list("auth")) {
                Settings s = v.child("auth").child(scheme);
                SCHEME.forEach(k -> keys.add(s.key(k)));
                switch (schemeType(s)) {
                    case "basic" -> BASIC.forEach(k -> keys.add(s.key(k)));
                    case "token" -> TOKEN.forEach(k -> keys.add(s.key(k)));
                    default -> HMAC.forEach(k -> keys.add(s.key(k)));
                }
            }
        }
        for (String target : kyc.list("notify.targets")) {
            Settings t = kyc.child("notify").child("target").child(target);
            TARGET.forEach(k -> keys.add(t.key(k)));
            for (String header : t.list("headers")) {
                keys.add(t.key("header." + header));
            }
        }
        return keys;
    }

    /** A scheme's type as the vendor registry reads it (hmac when unset). */
    static String schemeType(Settings scheme) {
        return scheme.get("type", "hmac").toLowerCase(Locale.ROOT);
    }
}
