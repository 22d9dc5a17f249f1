package io.kycrouter.contract;

import io.kycrouter.vendors.Settings;
import io.kycrouter.vendors.VendorFolders;
import org.apache.camel.util.OrderedLocationProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final String VENDOR_PREFIX = "kyc.vendor.";

    private final Properties defined;
    private final Settings kyc;
    private final Map<String, Path> vendorFiles;

    /**
     * @param defined     every property as loaded, with where each came from when known (Camel's PropertiesComponent
     *                    {@code loadProperties()})
     * @param kyc         the resolved {@code kyc.} settings
     * @param vendorFiles each vendor's vendor.properties, by vendor name (its keys are loaded relative, prefixed)
     */
    public ConfigContract(Properties defined, Settings kyc, Map<String, Path> vendorFiles) {
        this.defined = defined;
        this.kyc = kyc;
        this.vendorFiles = vendorFiles;
    }

    /** The contract of this configuration and these vendor folders. */
    public static ConfigContract of(Properties defined, Settings kyc, VendorFolders folders) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String vendor : folders.names()) {
            files.put(vendor, folders.folder(vendor).resolve(VendorFolders.PROPERTIES_FILE));
        }
        return new ConfigContract(defined, kyc, files);
    }

    public List<Problem> check() {
        List<Problem> problems = new ArrayList<>();
        Set<String> known = ConfigKeys.known(kyc, vendorFiles.keySet());
        // a disabled vendor's folder is not read, so its scheme names are unknown: its keys are not judged until it is on
        List<String> disabled = kyc.list("vendors.disabled").stream().map(v -> VENDOR_PREFIX + v + ".").toList();
        // a vendor without schemes is reported once, below; the keys of its (unnamed) schemes are not judged
        List<String> unjudged = new ArrayList<>(disabled);
        vendorFiles.keySet().stream().filter(v -> kyc.child("vendor").child(v).list("auth").isEmpty())
                .forEach(v -> unjudged.add(VENDOR_PREFIX + v + ".auth."));
        for (String key : new TreeSet<>(defined.stringPropertyNames())) {
            if (key.startsWith("kyc.") && !known.contains(key) && unjudged.stream().noneMatch(key::startsWith)) {
                String nearest = Nearest.to(key, candidates(key, known)).map(k -> "; the nearest known key is " + shown(k, key)).orElse("");
                problems.add(problem(key, "unknown key" + nearest));
            }
        }
        for (String vendor : vendorFiles.keySet()) {
            authentication(vendor, problems);
        }
        return problems;
    }

    /** A vendor's key is compared with that vendor's own keys first: another vendor's key is no hint. */
    private Set<String> candidates(String key, Set<String> known) {
        for (String vendor : vendorFiles.keySet()) {
            String prefix = VENDOR_PREFIX + vendor + ".";
            if (key.startsWith(prefix)) {
                Set<String> own = new TreeSet<>();
                known.stream().filter(k -> k.startsWith(prefix)).forEach(own::add);
                return own.isEmpty() ? known : own;
            }
        }
        return known;
    }

    private void authentication(String vendor, List<Problem> problems) {
        Settings v = kyc.child("vendor").child(vendor);
        List<String> schemes = v.list("auth");
        if (schemes.isEmpty()) {
            problems.add(problem(v.key("auth"), "vendor " + vendor + " has no authentication scheme: set " + v.key("auth")
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

    /** The problem at a key, in the file that sets it (a vendor's key: its vendor.properties, the key relative). */
    private Problem problem(String key, String message) {
        Path vendorFile = vendorFileOf(key);
        String location = vendorFile != null ? "file:" + vendorFile
                : defined instanceof OrderedLocationProperties o ? o.getLocation(key) : null;
        String file = location == null ? "configuration" : Problem.fileOf(location);
        String written = shown(key);
        return new Problem(file, lineOf(location, written), written, message);
    }

    /** The vendor.properties a key was read from: a kyc.vendor.&lt;v&gt;.* key that no other file sets. */
    private Path vendorFileOf(String key) {
        String vendor = vendorOf(key);
        if (vendor == null) {
            return null;
        }
        String location = defined instanceof OrderedLocationProperties o ? o.getLocation(key) : null;
        // vendor.properties are Camel's initial properties; a key set in application.properties or overridden wins
        return location == null || "initial".equals(location) ? vendorFiles.get(vendor) : null;
    }

    private String vendorOf(String key) {
        if (!key.startsWith(VENDOR_PREFIX)) {
            return null;
        }
        String rest = key.substring(VENDOR_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot < 0 || !vendorFiles.containsKey(rest.substring(0, dot)) ? null : rest.substring(0, dot);
    }

    /** A key as its file writes it: relative in a vendor.properties. */
    private String shown(String key) {
        if (vendorFileOf(key) == null) {
            return key;
        }
        return key.substring(VENDOR_PREFIX.length() + vendorOf(key).length() + 1);
    }

    /** A known key, as the file that holds the mistaken one writes it. */
    private String shown(String known, String mistaken) {
        String vendor = vendorOf(known);
        if (vendorFileOf(mistaken) != null && vendor != null && vendor.equals(vendorOf(mistaken))) {
            return known.substring(VENDOR_PREFIX.length() + vendor.length() + 1);
        }
        return known;
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
