package io.kycrouter.notify;

import io.kycrouter.canonical.CanonicalStatus;
import io.kycrouter.canonical.CanonicalType;
import io.kycrouter.canonical.VerificationEvent;
import io.kycrouter.vendors.ConfigException;
import io.kycrouter.vendors.Settings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The configured notifier targets ({@code kyc.notify.targets} and {@code kyc.notify.target.<name>.*}). */
public final class Targets {

    /** Standard Webhooks: secrets are 24 to 64 bytes; shorter keys are too easy to guess. */
    static final int MIN_KEY_BYTES = 24;

    private final Map<String, TargetDefinition> targets;
    /** By name, sorted once: read after every commit of new events. */
    private final List<TargetDefinition> sorted;

    public Targets(Map<String, TargetDefinition> targets) {
        this.targets = Map.copyOf(targets);
        this.sorted = this.targets.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public List<TargetDefinition> all() {
        return sorted;
    }

    public Optional<TargetDefinition> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public List<TargetDefinition> matching(VerificationEvent event) {
        return all().stream().filter(t -> t.filter().matches(event)).toList();
    }

    public static Targets load(Settings kyc) {
        Map<String, TargetDefinition> targets = new LinkedHashMap<>();
        for (String name : kyc.list("notify.targets")) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                throw new ConfigException("notifier target name '" + name + "' in kyc.notify.targets must be letters, digits, '-' or '_'");
            }
            targets.put(name, target(name, kyc.child("notify").child("target").child(name)));
        }
        return new Targets(targets);
    }

    static TargetDefinition target(String name, Settings s) {
        TargetDefinition.Type type;
        try {
            type = TargetDefinition.Type.valueOf(s.required("type").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key("type") + " must be http, kafka or log");
        }
        TargetFilter filter = new TargetFilter(
                names(s, "filter.vendors", null),
                names(s, "filter.types", CanonicalType.class),
                names(s, "filter.statuses", CanonicalStatus.class),
                s.bool("filter.final-only", false));
        RetryPolicy retry = new RetryPolicy(
                (int) s.number("max-attempts", 15),
                Duration.ofSeconds(s.number("max-age-seconds", 86_400)),
                Duration.ofMillis(s.number("backoff.initial-ms", 1000)),
                Duration.ofMillis(s.number("backoff.max-ms", 600_000)),
                s.number("backoff.jitter-percent", 20) / 100.0);
        String endpoint = null;
        List<byte[]> secrets = List.of();
        Map<String, String> headers = new LinkedHashMap<>();
        String brokers = null;
        switch (type) {
            case HTTP -> {
                endpoint = s.required("url");
                try {
                    URI uri = URI.create(endpoint);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw new IllegalArgumentException("not an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(s.key("url") + " must be an http:// or https:// URL");
                }
                secrets = secrets(name, s);
                // headers = Authorization, X-Tenant  then  header.Authorization = Bearer {{env:...}}
                for (String header : s.list("headers")) {
                    s.get("header." + header).ifPresent(v -> headers.put(header, v));
                }
            }
            case KAFKA -> {
                endpoint = s.required("topic");
                brokers = s.required("brokers");
            }
            case LOG -> endpoint = "kyc.notify." + name;
        }
        return new TargetDefinition(name, type, filter, retry, s.bool("ordered", type != TargetDefinition.Type.LOG),
                endpoint, secrets, Map.copyOf(headers),
                Duration.ofMillis(s.number("connect-timeout-ms", 2000)), Duration.ofMillis(s.number("read-timeout-ms", 10_000)),
                brokers, (int) s.number("batch-size", 50),
                (int) Math.max(1, s.number("concurrency", type == TargetDefinition.Type.LOG ? 1 : 8)));
    }

    /**
     * The target's signing keys: {@code secret = whsec_new, whsec_old} signs every delivery with each (Standard
     * Webhooks allows several signatures, so receivers can move from one secret to the next without downtime).
     * A "whsec_" secret is base64 after the prefix; any other text is used as its UTF-8 bytes. Keys shorter than
     * 24 bytes (Standard Webhooks' minimum) are refused either way. Messages name the target, never the secret.
     */
    static List<byte[]> secrets(String target, Settings s) {
        List<String> values = s.list("secret");
        if (values.isEmpty()) {
            throw new ConfigException(s.key("secret") + " is required for target " + target
                    + ": HTTP notifications are always signed");
        }
        List<byte[]> keys = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String which = s.key("secret") + " (target " + target + (values.size() > 1 ? ", secret " + (i + 1) : "") + "): ";
            keys.add(secretBytes(values.get(i), which));
        }
        return List.copyOf(keys);
    }

    static byte[] secretBytes(String secret, String which) {
        byte[] key;
        String kind;
        if (secret.startsWith("whsec_")) {
            try {
                key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(which + "a whsec_ secret must be base64 after the prefix");
            }
            kind = "the base64-decoded key of this whsec_ secret";
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
            kind = "this plain-text secret (used as its UTF-8 bytes)";
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new ConfigException(which + kind + " is " + key.length + " bytes; Standard Webhooks keys must be at"
                    + " least " + MIN_KEY_BYTES + " (make one with: echo whsec_$(openssl rand -base64 32))");
        }
        return key;
    }

    private static <E extends Enum<E>> Set<String> names(Settings s, String key, Class<E> allowed) {
        Set<String> values = s.list(key).stream()
                .map(v -> allowed == null ? v.toLowerCase(Locale.ROOT) : v.toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        if (allowed != null) {
            for (String v : values) {
                try {
                    Enum.valueOf(allowed, v);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(s.key(key) + ": '" + v + "' is not a canonical " + allowed.getSimpleName());
                }
            }
        }
        return values;
    }
}
