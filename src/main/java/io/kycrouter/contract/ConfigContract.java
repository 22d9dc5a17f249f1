package io.kycrouter.contract;

import io.kycrouter.vendors.Settings;
import org.apache.camel.util.OrderedLocationProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contract of the configuration files: no {@code kyc.*} key the router does not read ({@link ConfigKeys}), and
 * every vendor's authentication complete (schemes named, each of a known type, each with the key that holds its
 * credential). A credential key present but empty (its environment variable unset) is not a mistake in the file:
 * the vendor is refused with 401 and a warning says so (see VendorRegistry).
 */
public final class ConfigContract {

    private static final String VENDOR_FILE = "vendor.properties";

    private final Properties defined;
    private final Settings kyc;

    /**
     * @param defined every property as loaded, with where each came from when known (Camel's PropertiesComponent
     *                {@code loadProperties()})
     * @param kyc     the resolved {@code kyc.} settings
     */
    public ConfigContract(Properties defined, Settings kyc) {
        this.defined = defined;
        this.kyc = kyc;
    }

    public List<Problem> check() {
        List<Problem> problems = new ArrayList<>();
        Set<String> known = ConfigKeys.known(kyc);
        for (String key : new TreeSet<>(defined.stringPropertyNames())) {
            if (key.startsWith("kyc.") && !known.contains(key)) {
                String nearest = Nearest.to(key, known).map(k -> "; the nearest known key is " + shown(k, key)).orElse("");
                problems.add(problem(key, "unknown key" + nearest));
            }
        }
        for (String vendor : kyc.list("vendors")) {
            authentication(vendor.toLowerCase(Locale.ROOT), problems);
        }
        return problems;
    }

    private void authentication(String vendor, List<Problem> problems) {
        Settings v = kyc.child("vendor").child(vendor);
        List<String> schemes = v.list("auth");
        if (schemes.isEmpty()) {
            String key = isDefined(v.key("auth")) ? v.key("auth") : kyc.key("vendors");
            problems.add(problem(key, "vendor " + vendor + " has no authentication scheme: set " + v.key("auth")
                    + " = <scheme names> and each scheme's type and credential"));
            return;
        }
        for (String name : schemes) {
            Settings s = v.child("auth").child(name);
            String type = ConfigKeys.schemeType(s);
            String where = isDefined(s.key("type")) ? s.key("type") : v.key("auth");
            switch (type) {
                case "hmac" -> {
                    required(s, "secrets", where, vendor, name, type, problems);
                    if (!isDefined(s.key("signature-header")) && !isDefined(s.key("signature-field"))) {
                        problems.add(problem(where, "scheme " + name + " (hmac) says neither where the signature is"
                                + " (signature-header) nor which field holds it (signature-field)"));
                    }
                }
                case "basic" -> {
                    required(s, "user", where, vendor, name, type, problems);
                    required(s, "passwords", where, vendor, name, type, problems);
                }
                case "token" -> required(s, "tokens", where, vendor, name, type, problems);
                default -> problems.add(problem(where, "scheme " + name + " has type '" + type + "'; the types are "
                        + String.join(", ", ConfigKeys.SCHEME_TYPES)));
            }
        }
    }

    private void required(Settings scheme, String name, String where, String vendor, String schemeName, String type,
                          List<Problem> problems) {
        if (!isDefined(scheme.key(name))) {
            problems.add(problem(where, "scheme " + schemeName + " (" + type + ") of vendor " + vendor + " has no "
                    + name + " key: add " + shown(scheme.key(name), where) + " = {{env:KYC_"
                    + vendor.toUpperCase(Locale.ROOT).replace('-', '_') + "_...:}}"));
        }
    }

    /** Whether the files set the key at all (to any value, empty included). */
    private boolean isDefined(String key) {
        return defined.getProperty(key) != null; // Camel's ordered properties answer get, not containsKey
    }

    /** The problem at a key, in the file that defines it, the key written as that file writes it. */
    private Problem problem(String key, String message) {
        String location = defined instanceof OrderedLocationProperties o ? o.getLocation(key) : null;
        String file = location == null ? "configuration" : Problem.fileOf(location);
        String written = shown(key, key);
        return new Problem(file, lineOf(location, written), written, message);
    }

    /**
     * A key as written in the file that defines {@code near} (relative in a vendor.properties: the loader prefixes
     * those keys with kyc.vendor.&lt;vendor&gt;.).
     */
    private String shown(String key, String near) {
        String location = defined instanceof OrderedLocationProperties o ? o.getLocation(near) : null;
        if (location != null && location.endsWith(VENDOR_FILE) && key.startsWith("kyc.vendor.")) {
            String rest = key.substring("kyc.vendor.".length());
            int dot = rest.indexOf('.');
            return dot < 0 ? key : rest.substring(dot + 1);
        }
        return key;
    }

    /** The line of a properties file where the key is set, or 0. */
    private static int lineOf(String location, String key) {
        if (location == null || location.startsWith("classpath:")) {
            return 0;
        }
        try {
            Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).stripLeading();
                if (line.startsWith(key)) {
                    String after = line.substring(key.length()).stripLeading();
                    if (after.startsWith("=") || after.startsWith(":")) {
                        return i + 1;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the line is a convenience; the key is named either way
        }
        return 0;
    }
}
