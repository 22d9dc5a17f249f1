package io.kycrouter.vendors;

import io.kycrouter.delivery.JsonField;
import io.kycrouter.security.AuthScheme;
import io.kycrouter.security.BasicScheme;
import io.kycrouter.security.HmacScheme;
import io.kycrouter.security.PayloadDecryption;
import io.kycrouter.security.SignedContent;
import io.kycrouter.security.TimestampWindow;
import io.kycrouter.security.TokenScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The vendors the router accepts (their folders, see {@link VendorFolders}), built from {@code kyc.vendor.<name>.*}. */
public final class VendorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(VendorRegistry.class);

    private final Map<String, VendorDefinition> vendors;
    private final boolean devAcceptUnauthenticated;

    public VendorRegistry(Map<String, VendorDefinition> vendors, boolean devAcceptUnauthenticated) {
        this.vendors = Map.copyOf(vendors);
        this.devAcceptUnauthenticated = devAcceptUnauthenticated;
    }

    public Optional<VendorDefinition> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(vendors.get(name.toLowerCase(Locale.ROOT)));
    }

    public Set<String> names() {
        return vendors.keySet();
    }

    public boolean devAcceptUnauthenticated() {
        return devAcceptUnauthenticated;
    }

    /** The vendors named (their folders' names, already checked), from their {@code kyc.vendor.<name>.*} settings. */
    public static VendorRegistry load(Settings kyc, List<String> names) {
        long defaultMaxBody = kyc.number("ingress.max-body-size", 1_048_576);
        List<String> defaultTypes = kyc.list("ingress.content-types");
        Map<String, VendorDefinition> vendors = new LinkedHashMap<>();
        for (String name : names) {
            vendors.put(name, vendor(name, kyc.child("vendor").child(name), defaultMaxBody, defaultTypes));
        }
        boolean dev = kyc.bool("security.dev-accept-unauthenticated", false);
        for (VendorDefinition vendor : vendors.values()) {
            if (!vendor.hasCredentials()) {
                if (dev) {
                    LOG.warn("vendor {} has no credential configured; DEV MODE (kyc.security.dev-accept-unauthenticated=true)"
                            + " accepts its deliveries unauthenticated. Never run like this in production.", vendor.name());
                } else {
                    LOG.warn("vendor {} has no credential configured: every delivery to /webhooks/{} is refused with 401"
                            + " until one is set (see README, 'Vendors')", vendor.name(), vendor.name());
                }
            }
        }
        return new VendorRegistry(vendors, dev);
    }

    static VendorDefinition vendor(String name, Settings s, long defaultMaxBody, List<String> defaultTypes) {
        try {
            EventKey key = EventKey.parse(s.required("event-key"));
            List<AuthScheme> schemes = new ArrayList<>();
            List<String> schemeNames = s.list("auth");
            if (schemeNames.isEmpty()) {
                throw new ConfigException(s.key("auth") + " is required: name the vendor's authentication schemes");
            }
            for (String schemeName : schemeNames) {
                scheme(schemeName, s.child("auth").child(schemeName)).ifPresent(schemes::add);
            }
            Set<String> types = new LinkedHashSet<>();
            List<String> configured = s.list("content-types");
            for (String type : configured.isEmpty() ? defaultTypes : configured) {
                types.add(type.toLowerCase(Locale.ROOT));
            }
            if (types.isEmpty()) {
                types.add("application/json");
            }
            JsonField envelope = s.get("envelope").map(JsonField::of).orElse(null);
            return new VendorDefinition(name, List.copyOf(schemes), key, Set.copyOf(types),
                    s.number("max-body-size", defaultMaxBody), envelope, decryption(s.child("decrypt")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("vendor " + name + ": " + e.getMessage());
        }
    }

    /** The body decryption, or null when {@code decrypt.mode} is unset or none. */
    static PayloadDecryption decryption(Settings s) {
        String mode = s.get("mode", "none");
        if (mode.equalsIgnoreCase("none")) {
            return null;
        }
        PayloadDecryption.Mode parsed;
        try {
            parsed = PayloadDecryption.mode(mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key("mode") + ": " + e.getMessage());
        }
        String apiKey = s.get("api-key").orElseThrow(() -> new ConfigException(s.key("mode") + " is " + mode
                + " but " + s.key("api-key") + " is not set"));
        return new PayloadDecryption(parsed, apiKey, JsonField.of(s.get("field", "$.data")));
    }

    /** Builds one scheme; empty when its credential is not configured (so it can never accept anything). */
    static Optional<AuthScheme> scheme(String name, Settings s) {
        if (!s.bool("enabled", true)) {
            return Optional.empty();
        }
        String type = s.get("type", "hmac").toLowerCase(Locale.ROOT);
        switch (type) {
            case "hmac" -> {
                List<byte[]> secrets = s.list("secrets").stream().map(x -> x.getBytes(StandardCharsets.UTF_8)).toList();
                if (secrets.isEmpty()) {
                    return Optional.empty();
                }
                String header = s.get("signature-header").orElse(null);
                JsonField field = s.get("signature-field").map(JsonField::of).orElse(null);
                if ((header == null) == (field == null)) {
                    throw new ConfigException("set exactly one of " + s.key("signature-header") + " and "
                            + s.key("signature-field"));
                }
                Map<String, String> algorithmNames = new LinkedHashMap<>();
                for (String pair : s.list("algorithm-names")) {
                    int colon = pair.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new ConfigException(s.key("algorithm-names") + " entries look like NAME:SHA256, not '" + pair + "'");
                    }
                    algorithmNames.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
                }
                HmacScheme.Encoding encoding;
                try {
                    encoding = HmacScheme.Encoding.valueOf(s.get("encoding", "hex").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(s.key("encoding") + " must be hex or base64");
                }
                String timestampHeader = s.get("timestamp-header").orElse(null);
                JsonField signedTimestamp = s.get("signed-timestamp-field").map(JsonField::of).orElse(null);
                TimestampWindow window = timestampHeader == null && signedTimestamp == null ? null
                        : new TimestampWindow(timestampHeader, Duration.ofSeconds(s.number("timestamp-tolerance", 300)),
                                signedTimestamp, s.bool("signed-timestamp-required", false));
                return Optional.of(new HmacScheme(name, secrets, s.get("algorithm", "SHA256"),
                        s.get("algorithm-header").orElse(null), algorithmNames, encoding, s.get("prefix", ""),
                        header, field, SignedContent.parse(s.get("signed", "{body}")), window));
            }
            case "basic" -> {
                Optional<String> user = s.get("user");
                List<String> passwords = s.list("passwords");
                if (user.isEmpty() || passwords.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new BasicScheme(name, user.get(), passwords));
            }
            case "token" -> {
                List<String> tokens = s.list("tokens");
                if (tokens.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new TokenScheme(name, s.get("header").orElse(null),
                        s.get("query-parameter").orElse(null), s.bool("path-segment", false), tokens));
            }
            default -> throw new ConfigException(s.key("type") + " must be hmac, basic or token, not '" + type + "'");
        }
    }
}
